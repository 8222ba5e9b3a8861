"""`[github] combined = true` in independent mode: one GitHub release for a cut of several
packages, on the first package's tag (dependencies come first), titled with every tag, its
body every package's changelog section, its assets every package's files. Each package's
SHA256SUMS and signatures share a name with the others': those carry the package's name.
"""

from __future__ import annotations

from pathlib import Path

from release.core.engine.context import ReleaseContext
from release.steps.changelog.root import root_section
from release.steps.github.step import GithubPublishStep, GithubReleaseStep


def all_prereleases(ctxs: list[ReleaseContext]) -> bool:
    """A combined release is a prerelease only when every package's version is one."""
    return all(c.version is not None and c.version.prerelease for c in ctxs)


def combined_assets(ctxs: list[ReleaseContext]) -> dict[str, tuple[Path, str]]:
    """name -> (file, sha256) over every package's artifacts; a name that two packages
    have (SHA256SUMS) is prefixed with the package's name."""
    per_package: list[tuple[str, str, Path, str]] = []
    for ctx in ctxs:
        assert ctx.package is not None
        manifest = ctx.manifest()
        for artifact in manifest.artifacts:
            path = manifest.file(artifact)
            per_package.append((ctx.package.name, path.name, path, artifact.sha256))
    names = [name for _, name, _, _ in per_package]
    return {
        (f"{package}-{name}" if names.count(name) > 1 else name): (path, sha)
        for package, name, path, sha in per_package
    }


class CombinedGithubReleaseStep(GithubReleaseStep):
    """The draft of the combined release, with all the packages' assets."""

    def __init__(self, ctxs: list[ReleaseContext]) -> None:
        self.ctxs = ctxs

    def describe(self, ctx: ReleaseContext) -> str:
        tags = ", ".join(c.tag for c in self.ctxs)
        return f"draft one GitHub release {ctx.tag} for {tags} and upload every package's assets"

    def _assets(self, ctx: ReleaseContext) -> dict[str, tuple[Path, str]]:
        return combined_assets(self.ctxs)

    def _body(self, ctx: ReleaseContext) -> str:
        return root_section(self.ctxs)

    def _title(self, ctx: ReleaseContext) -> str:
        return ", ".join(c.tag for c in self.ctxs)

    def _prerelease(self, ctx: ReleaseContext) -> bool:
        return all_prereleases(self.ctxs)


class CombinedGithubPublishStep(GithubPublishStep):
    """Publishes the combined draft once every tag is on the remote."""

    def __init__(self, ctxs: list[ReleaseContext]) -> None:
        self.ctxs = ctxs

    def describe(self, ctx: ReleaseContext) -> str:
        return f"publish the GitHub release {ctx.tag} of {len(self.ctxs)} packages"

    def _prerelease(self, ctx: ReleaseContext) -> bool:
        return all_prereleases(self.ctxs)

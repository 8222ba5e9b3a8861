"""Independent mode's bump of one package (`ctx.package`): its own version, its siblings'
requirements on it that leave the new version out, and its lock entry."""

from __future__ import annotations

from pathlib import Path

from release.base import containment
from release.base.errors import ReleaseError
from release.base.fsutil import atomic_write, read_text
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Step, Verdict
from release.core.project import lock_files
from release.core.project.manifests import PatternFile, normalized
from release.core.project.npm import PackageJson
from release.core.project.package_bump import package_bumped
from release.core.project.packages import Package


def _package(ctx: ReleaseContext) -> Package:
    assert ctx.package is not None, "a package bump needs a package context"
    return ctx.package


def bumped_files(ctx: ReleaseContext) -> dict[Path, str]:
    """What this package's release writes, from the files as they are now."""
    assert ctx.version is not None
    package = _package(ctx)
    files = package_bumped(
        package,
        ctx.version,
        ctx.lookups.packages(ctx.root, ctx.config),
        cargo_root=ctx.lookups.layout(ctx.root, ctx.config).cargo,
        version_files=ctx.layout.version_files,
    )
    pyprojects = [package.manifest] if package.kind == "python" else list(package.companions)
    own = [PackageJson(package.manifest)] if package.kind == "npm" else []
    for lock in lock_files.followers(ctx.root, pyprojects, list(own)):  # uv.lock, a workspace's
        files.update(lock.bumped(ctx.version))
    # `[[manifests.extra]]` files of the package (named, or in its folder) state its version.
    for extra in ctx.config.manifests.extra:
        named = extra.package == package.name
        if named or (extra.package is None and package.root and package.owns(extra.path)):
            files.update(PatternFile(ctx.root / extra.path, extra.search).bumped(ctx.version))
    return files


def stated_version(ctx: ReleaseContext) -> str | None:
    """The version the package's manifest states now (None: it states none of its own)."""
    package = _package(ctx)
    found = {p.name: p for p in ctx.lookups.packages(ctx.root, ctx.config)}
    return str(found[package.name].version) if package.name in found else None


class PackageBumpStep(Step):
    name = "bump"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return APPLIES

    def describe(self, ctx: ReleaseContext) -> str:
        package = _package(ctx)
        try:
            others = sorted(ctx.relpath(p) for p in bumped_files(ctx)) if ctx.version else []
        except ReleaseError:
            others = []
        files = ", ".join(others) or ctx.relpath(package.manifest)
        return f"set {package.name} {ctx.version} in {files}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        try:
            # in memory: an inherited version or a broken manifest shows now
            for path in bumped_files(ctx):
                containment.writable(ctx.root, path, what="the manifest")
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        stated = stated_version(ctx)
        return stated is not None and normalized(stated) == normalized(str(ctx.version))

    def run(self, ctx: ReleaseContext) -> None:
        for path, text in bumped_files(ctx).items():
            if read_text(path) != text:
                atomic_write(path, text)
                ctx.changes.changed_files.append(ctx.relpath(path))
        ctx.lookups.manifests_changed()  # the next package's bump reads the new versions

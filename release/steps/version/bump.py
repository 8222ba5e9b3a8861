"""Write the new version into every manifest: Cargo workspace and lock, pyproject, __init__."""

from __future__ import annotations

from pathlib import Path

from release.base import containment
from release.base.errors import ReleaseError
from release.base.fsutil import atomic_write, read_text
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Step, Verdict
from release.core.project.manifests import Manifest, VersionSite, manifests_for, normalized


def manifests(ctx: ReleaseContext) -> list[Manifest]:
    if ctx.memo.manifests is None:
        ctx.memo.manifests = manifests_for(ctx.root, ctx.config, ctx.layout)
    return list(ctx.memo.manifests)


def sites(ctx: ReleaseContext) -> list[VersionSite]:
    return [site for manifest in manifests(ctx) for site in manifest.current()]


def disagreement(ctx: ReleaseContext, found: list[VersionSite]) -> Problem | None:
    versions = {normalized(s.version) for s in found}
    if len(versions) <= 1:
        return None
    listing = ", ".join(f"{s.where(ctx.root)} says {s.version}" for s in found)
    return Problem(
        "bump",
        f"the manifests disagree on the current version: {listing}",
        hint="make every manifest state the same version (the last release's) and commit; "
        "packages versioned on their own: `release next` shows each one's next version "
        '([version] mode = "independent"), per-package cuts are not built yet',
        where=found[0].where(ctx.root),
    )


class BumpStep(Step):
    name = "bump"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return APPLIES  # with no manifest at all it has nothing to do, which verify shows

    def describe(self, ctx: ReleaseContext) -> str:
        try:
            files = sorted({ctx.relpath(s.path) for s in sites(ctx)})
        except ReleaseError:
            files = []
        if not files:
            return "no manifest states a version: nothing to bump"
        return f"set version {ctx.version} in " + ", ".join(files)

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        try:
            found = sites(ctx)
            assert ctx.version is not None
            for manifest in manifests(ctx):
                # in memory: a version Python cannot spell shows now
                for path in manifest.bumped(ctx.version):
                    containment.writable(ctx.root, path, what="the manifest")
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        problems = []
        problem = disagreement(ctx, found)
        if problem:
            problems.append(problem)
        elif (
            found
            and ctx.previous
            and normalized(found[0].version)
            not in {
                normalized(str(ctx.previous.version)),
                normalized(str(ctx.version)),
            }
        ):
            problems.append(
                Problem(
                    self.name,
                    f"the manifests say {found[0].version} but the last release is "
                    f"{ctx.previous.tag}",
                    hint="check that the last release bumped the manifests",
                    severity="warning",
                    where=found[0].where(ctx.root),
                )
            )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        found = sites(ctx)
        return bool(found) and all(
            normalized(s.version) == normalized(str(ctx.version)) for s in found
        )

    def run(self, ctx: ReleaseContext) -> None:
        assert ctx.version is not None
        texts: dict[Path, str] = {}
        for manifest in manifests(ctx):
            texts.update(manifest.bumped(ctx.version))
        for path, text in texts.items():
            if read_text(path) != text:
                atomic_write(path, text)
                ctx.changes.changed_files.append(ctx.relpath(path))
        ctx.memo.manifests = None  # they describe the old files now
        ctx.lookups.manifests_changed()

"""A train's resume whose HEAD has moved on past the release commit still builds and
publishes from the work tree, which is HEAD's. That is the release's content only where the
commits since left the sources alone: a build or a source publish (cargo, npm pack) still to
run over files they changed would put out what the tags do not name. Refused, before
anything runs, with the way to finish from the release commit itself; a commit elsewhere
(docs, another package's folder) is no reason to stop."""

from __future__ import annotations

from release.base.errors import RepositoryError
from release.core.engine.context import ReleaseContext
from release.core.engine.legs import Leg
from release.core.engine.step import Skip, Step
from release.steps import catalog

# The steps that read the sources in the work tree; the others read dist/, the registries,
# or the release commit.
FROM_SOURCES = {s.name for s in catalog.build_steps()} | {"crates", "npm"}
ROOT_BUILD_FILES = {
    *("Cargo.toml", "Cargo.lock", "rust-toolchain", "rust-toolchain.toml"),
    *("pyproject.toml", "uv.lock", "setup.py", "setup.cfg", "MANIFEST.in"),
    *("package.json", "package-lock.json", "npm-shrinkwrap.json"),
}


def refuse_moved_sources(legs: list[Leg]) -> None:
    """Every leg whose context looks at a release commit behind HEAD: none of its steps that
    read the sources may be left to run over files changed since that commit."""
    changed: dict[str, list[str]] = {}  # release commit -> the paths changed since
    for leg in legs:
        commit = leg.ctx.release_commit
        if commit is None:
            continue
        if commit not in changed:
            out = leg.ctx.git.out("diff", "--name-only", "--no-renames", commit, "HEAD")
            changed[commit] = out.splitlines()
        theirs = _read_by(leg.ctx, changed[commit])
        if not theirs:
            continue
        pending = [s.name for s in leg.steps if s.name in FROM_SOURCES and _to_run(leg.ctx, s)]
        if pending:
            _refuse(leg.ctx, commit, theirs, pending)


def _read_by(ctx: ReleaseContext, paths: list[str]) -> list[str]:
    """The paths a build of this package reads: its own folders, and the repository's root
    build files (a workspace manifest, a lock file). A commit to README.md or docs/ is not
    one (the fault model's user and colleague make such commits, and a release finishes)."""
    package = ctx.package
    if package is None:
        return []  # lockstep: its package is the whole repository, not asked (any commit would do)
    return [p for p in paths if p in ROOT_BUILD_FILES or ("/" in p and package.owns(p))]


def _to_run(ctx: ReleaseContext, step: Step) -> bool:
    return not isinstance(step.applies(ctx), Skip) and not step.done(ctx)


def _refuse(ctx: ReleaseContext, commit: str, paths: list[str], steps: list[str]) -> None:
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
    whose = f"{ctx.package.name}'s " if ctx.package else ""
    raise RepositoryError(
        f"HEAD has moved on past the release commit of {ctx.tag} ({commit[:12]}), and the "
        f"commits since change {shown}, which {whose}{', '.join(steps)} would read from "
        "the work tree: what they put out would not be what the tag names",
        hint=f"finish from the release commit: git switch --detach {commit[:12]}, "
        "`release resume`, then git switch - (your commits stay on your branch); "
        "nothing was changed",
    )

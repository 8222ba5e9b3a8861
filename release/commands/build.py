"""`release build`: on the tagged release commit, build, checksum and sign into dist/; with
`--package NAME` (independent versions), that package's part of the release the merged
commit prepares, into its own dist folder (release.commands.train_split)."""

from __future__ import annotations

from pathlib import Path

from release.base.errors import RepositoryError
from release.commands.result import VersionInfo
from release.commands.results import BuildResult, Stopped
from release.commands.running import preflight, run_steps
from release.commands.ui import Ui
from release.core.engine import pipeline
from release.core.engine.context import ReleaseContext
from release.core.plan import prepared
from release.core.plan.planning import plan, plan_tagged
from release.steps import catalog


def build(
    start: Path,
    ui: Ui,
    *,
    targets: list[str],
    no_python: bool,
    skip: list[str],
    only: list[str],
    package: str | None = None,
) -> BuildResult | Stopped:
    if package is None:
        ctx = _tagged_or_prepared(start)
    else:  # independent mode in CI: one package of the merged release pull request
        from release.commands.train_split import package_to_build

        ctx = package_to_build(start, package)
    ctx.targets = list(targets)
    if no_python:
        ctx.config.build.python = False
    steps = pipeline.select(catalog.build_steps(), skip, only)
    stopped = preflight(ctx, steps, ui, nothing="Nothing was built.")
    if stopped is not None:
        return stopped
    results = run_steps(ctx, steps, ui, label="build")
    manifest = ctx.manifest()
    return BuildResult(
        VersionInfo.of(ctx),
        results,
        artifacts=manifest.to_dict(),
        paths=[a.path for a in manifest.artifacts],
    )


def _tagged_or_prepared(start: Path) -> ReleaseContext:
    """The release tagged at HEAD; or, on a merged release pull request's commit not tagged
    yet, the release it prepares (built on CI runners before the cut tags it)."""
    try:
        return plan_tagged(start)
    except RepositoryError:
        ctx = plan(start)
        if ctx.package is None and prepared.adopt(ctx):
            return ctx
        raise

"""`release verify`: the dry run. Every check a cut would meet, and the plan; changes nothing.

On a checkout of a release tag with nothing new (release.yml's plan job), it checks the build
and publish of that release and gives the build matrix."""

from __future__ import annotations

from pathlib import Path

from release.base.errors import ExitCode
from release.commands import ci
from release.commands.result import VersionInfo
from release.commands.results import VerifyResult
from release.core.engine import pipeline
from release.core.engine.matrix import build_matrix
from release.core.plan import prepared
from release.core.plan.lookups import Looked
from release.core.plan.planning import plan, released_at_head
from release.core.settings.config_files import notes as config_notes
from release.steps import catalog


def verify(
    start: Path,
    version: str | None,
    pre: str | None,
    *,
    skip: list[str],
    only: list[str],
    packages: list[str] | None = None,
) -> VerifyResult:
    from release.commands.train import train_for

    looked = Looked.open(start)  # the repository, config and lookups: once per command
    train = train_for(start, version, pre, packages or [], looked=looked)
    if train is not None:
        from release.commands.train_run import verify_train

        return verify_train(train, skip, only)
    git, cfg, lookups = looked
    ctx = plan(start, version, pre, cfg=cfg, git=git, lookups=lookups)
    prepared.adopt(ctx)  # a merged release pull request: what a cut here would tag
    steps = catalog.cut_steps(ctx.config.git.mode)  # what a cut here would run
    if ctx.version is None and version is None and pre is None:
        tagged = released_at_head(start, cfg=cfg, git=git, lookups=lookups)
        if tagged is not None:
            ctx, steps = tagged, catalog.tagged_steps()
    ci.outputs(ctx, released=False)
    if ctx.version is None:
        return VerifyResult(
            VersionInfo.of(ctx), notes=[*config_notes(ctx.root), f"no release: {ctx.reason}"]
        )
    checked = pipeline.verify(ctx, pipeline.select(steps, skip, only))
    ci.matrix_output(ctx)
    result = VerifyResult(
        VersionInfo.of(ctx),
        checked.steps,
        checked.problems,
        matrix=build_matrix(ctx),
        notes=config_notes(ctx.root),
    )
    if result.errors:
        result.exit_code = ExitCode.PROBLEMS
    return result

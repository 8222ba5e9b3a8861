"""`release cut`: changelog, manifests, commit, tag, and (locally) build and publish; the
tag-trigger mode leaves building and publishing to the tag's workflow."""

from __future__ import annotations

from pathlib import Path

from release.base.errors import BadInput, ExitCode
from release.commands import ci
from release.commands.results import ReleasedResult, Stopped
from release.commands.running import (
    confirmed,
    partly_released,
    preflight,
    released,
    run_steps,
)
from release.commands.status import no_cut_running
from release.commands.ui import Ui
from release.core.engine import pipeline
from release.core.plan import prepared
from release.core.plan.lookups import Looked
from release.core.plan.planning import plan
from release.steps import catalog


def cut(
    start: Path,
    version: str | None,
    pre: str | None,
    ui: Ui,
    *,
    yes: bool,
    skip: list[str],
    only: list[str],
    packages: list[str] | None = None,
    artifacts: list[Path] | None = None,
) -> ReleasedResult | Stopped:
    no_cut_running(start)
    from release.commands.train import train_for

    looked = Looked.open(start)  # the repository, config and lookups: once per command
    train = train_for(start, version, pre, packages or [], looked=looked)
    if train is not None:
        from release.commands.train_run import cut_train

        return cut_train(train, ui, yes=yes, skip=skip, only=only, artifacts=artifacts)
    ctx = plan(start, version, pre, cfg=looked.cfg, git=looked.git, lookups=looked.lookups)
    prepared.adopt(ctx)  # a merged release pull request: tag what the branch carries
    if ctx.version is None:
        ci.outputs(ctx, released=False)
        raise BadInput(
            f"nothing to release: {ctx.reason}",
            hint="give the version explicitly to release anyway, e.g. `release cut 1.2.3`",
        )
    everything = catalog.cut_steps(ctx.config.git.mode)
    steps = pipeline.select(everything, skip, only)
    if artifacts:  # built on CI runners already: the build steps find them done
        from release.commands.train_split import gather_runners, prebuilt

        gather_runners([ctx], artifacts)
        steps = prebuilt(steps)
    stopped = preflight(ctx, steps, ui, nothing="Nothing was changed.")
    if stopped is not None:
        return stopped
    if not confirmed(ui, f"Release {ctx.tag}?", yes=yes):
        return Stopped(exit_code=ExitCode.BAD_INPUT)
    if [s.name for s in steps] != [s.name for s in everything]:
        return partly_released(ctx, run_steps(ctx, steps, ui, partial=True))
    return released(ctx, run_steps(ctx, steps, ui))

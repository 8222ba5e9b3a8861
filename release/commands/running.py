"""What cut, build, publish and resume share: every check before the first step, the steps
run with the front end's progress display, and the end of a release."""

from __future__ import annotations

from release.base.errors import ExitCode
from release.commands import ci
from release.commands.result import VersionInfo
from release.commands.results import ReleasedResult, Stopped
from release.commands.ui import Ui
from release.core.engine import pipeline
from release.core.engine.context import ReleaseContext
from release.core.engine.pipeline import StepResult
from release.core.engine.step import Step


def preflight(ctx: ReleaseContext, steps: list[Step], ui: Ui, *, nothing: str) -> Stopped | None:
    """Every check of the steps before the first one runs; any error stops (exit 2)."""
    checked = pipeline.verify(ctx, steps)
    ui.problems(checked.problems)
    if checked.errors:
        return Stopped(exit_code=ExitCode.BAD_INPUT, notes=[nothing])
    return None


def confirmed(ui: Ui, question: str, *, yes: bool) -> bool:
    return yes or ui.confirm(question)


def run_steps(
    ctx: ReleaseContext,
    steps: list[Step],
    ui: Ui,
    *,
    label: str = "cut",
    resuming: bool = False,
    partial: bool = False,
) -> list[StepResult]:
    """pipeline.cut with the front end's progress display."""
    progress = ui.progress()
    try:
        return pipeline.cut(ctx, steps, progress, label=label, resuming=resuming, partial=partial)
    finally:
        progress.close()


def released(
    ctx: ReleaseContext, results: list[StepResult], kind: type[ReleasedResult] = ReleasedResult
) -> ReleasedResult:
    """The end of a successful cut, publish or resume: Actions' outputs and summary, and the
    result."""
    ci.outputs(ctx, released=True)
    ci.summary(ctx, results)
    return kind(VersionInfo.of(ctx), results)


def partly_released(ctx: ReleaseContext, results: list[StepResult]) -> ReleasedResult:
    """The end of a cut with --only/--skip: what ran, and whether a tag was made; never
    "released", which the journal does not say either."""
    ci.outputs(ctx, released=False)
    tagged = ctx.changes.tagged is not None
    return ReleasedResult(VersionInfo.of(ctx), results, partial=True, tagged=tagged)

"""The ordered steps of a release, and the two ways to go through them: verify and cut."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from release.base import actions
from release.base.errors import BadInput, ReleaseError
from release.core.engine import failure, killpoints, naming, recovery
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.journal import Journal, ReleaseLock
from release.core.engine.legs import Leg as Leg  # re-exported: commands build legs
from release.core.engine.legs import Run as Run
from release.core.engine.legs import StepResult as StepResult
from release.core.engine.sources import ReleaseTrees
from release.core.engine.step import Skip, Step
from release.core.settings import config_paths

T = TypeVar("T")

# Steps that may run at the same time: consecutive steps of one set form one stage.
# Publishers run by risk (steps/catalog.py): crates, then PyPI, each alone, since neither can
# be taken back; Docker tags and the GitHub draft, which can, together after them.
CONCURRENT = (frozenset({"docker", "github"}),)
# Checking only asks; every publisher's destination is asked at once (a person waits).
CHECKED_TOGETHER = (frozenset({"crates", "pypi", "npm", "docker", "github"}),)


def check_manifest(ctx: ReleaseContext) -> None:
    """Publishing needs the artifacts of this very release, built from this commit."""
    manifest = ctx.manifest()
    if not manifest.artifacts:
        raise BadInput(
            f"there are no artifacts of {ctx.tag} built from {manifest.commit[:12]} in "
            f"{ctx.relpath(ctx.dist)}/",
            hint="run `release build` first, or pass the runners' folders with --artifacts",
        )


def stages(steps: list[Step], sets: tuple[frozenset[str], ...] = CONCURRENT) -> list[list[Step]]:
    """Consecutive steps of one set (CONCURRENT by default) grouped; every other step alone."""
    grouped: list[list[Step]] = []
    for step in steps:
        together = next((s for s in sets if step.name in s), None)
        last = grouped[-1] if grouped else None
        if together and last and all(s.name in together for s in last):
            last.append(step)
        else:
            grouped.append([step])
    return grouped


def select(steps: list[Step], skip: list[str], only: list[str]) -> list[Step]:
    names = [s.name for s in steps]
    for name in [*skip, *only]:
        if name not in names:
            raise BadInput(f"there is no step {name!r}", hint="steps: " + ", ".join(names))
    if only:
        return [s for s in steps if s.name in only]
    return [s for s in steps if s.name not in skip]


@dataclass
class StepPlan:
    name: str
    applies: bool
    action: str  # what it would do, or why it is skipped
    done: bool = False
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Plan:
    ctx: ReleaseContext
    steps: list[StepPlan]
    paths: list[Problem] = field(default_factory=list)  # config paths leaving the repository

    @property
    def problems(self) -> list[Problem]:
        return [*self.ctx.warnings, *self.paths, *(p for s in self.steps for p in s.problems)]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def verify(ctx: ReleaseContext, steps: list[Step]) -> Plan:
    """applies + check of every step: the same code a cut runs, and nothing changes. The
    steps of a concurrent stage are checked at once too, as they run: each asks its own
    destination, and a person waits for the sum of those round trips otherwise."""
    plans: list[StepPlan] = []
    for stage in stages(steps, CHECKED_TOGETHER):
        if len(stage) == 1:
            plans.append(_plan_step(ctx, stage[0]))
            continue
        plans += _at_once(ctx, stage, lambda step: _plan_step(ctx, step))
    if ctx.version is not None:  # a version some destination cannot name stops it all
        by_name = {p.name: p for p in plans if p.applies}
        for problem in naming.problems(ctx, set(by_name)):
            plan = by_name.get(problem.step) or plans[0]
            plan.problems.append(problem)
    return Plan(ctx, plans, config_paths.problems(ctx))


def _at_once(ctx: ReleaseContext, steps: list[Step], work: Callable[[Step], T]) -> list[T]:
    """`work` on each step in a thread of its own, results in the steps' order."""
    if ctx.version is not None:
        ctx.manifest()  # loaded once, before the threads share it
    with ThreadPoolExecutor(len(steps) or 1) as pool:
        return list(pool.map(work, steps))


def _plan_step(ctx: ReleaseContext, step: Step) -> StepPlan:
    verdict = step.applies(ctx)
    if isinstance(verdict, Skip):
        return StepPlan(step.name, False, verdict.reason)
    try:
        problems = step.check(ctx)
    except ReleaseError as exc:
        problems = [Problem.from_error(step.name, exc)]
    done = False
    if not problems:
        try:
            done = step.done(ctx)
        except ReleaseError as exc:
            problems = [Problem.from_error(step.name, exc)]
    return StepPlan(step.name, True, step.describe(ctx), done, problems)


class Progress(Protocol):
    """Told as each step starts and ends (the command line's spinner and lines)."""

    def start(self, name: str) -> None: ...

    def __call__(self, result: StepResult) -> None: ...

    def close(self) -> None: ...


def cut(
    ctx: ReleaseContext,
    steps: list[Step],
    progress: Progress | None = None,
    *,
    resuming: bool = False,
    label: str = "cut",
    partial: bool = False,
) -> list[StepResult]:
    """Run the steps in order. A failure before anything left this machine restores the
    repository as it was; the journal keeps what happened either way."""
    journal = Journal.for_tag(ctx.git.git_dir(), ctx.tag)
    run = Run(journal, label, {"version": str(ctx.version), "tag": ctx.tag}, ctx.tag)
    return run_legs([Leg(ctx, steps)], run, progress, resuming=resuming, partial=partial)


def run_legs(
    legs: list[Leg],
    run: Run,
    progress: Progress | None = None,
    *,
    resuming: bool = False,
    partial: bool = False,
) -> list[StepResult]:
    first = legs[0].ctx
    journal, label = run.journal, run.label
    results: list[StepResult] = []
    with ReleaseLock(first.git.git_dir()), ReleaseTrees() as trees:
        head = first.git.head()
        for leg in legs:
            leg.ctx.changes.start_head = head
            if resuming:
                recovery.adopt(journal, leg.ctx)
            leg.ctx.artifacts = None  # what verify saw was before the release commit; look again
            leg.ctx.on_start = progress.start if progress else None
        event = "resume" if resuming else "start"
        journal.record(label, event, head=head, **failure.outline(legs), **run.start)
        guard = failure.PublicGuard(legs, journal)
        for leg in legs:
            leg.ctx.journal = journal.named(leg.package)  # publishers record each item
            leg.ctx.before_public = guard
            for stage in stages(leg.steps):
                stage_results = _run_leg_stage(leg, stage, trees)
                results.extend(stage_results)
                for result in stage_results:
                    if progress:
                        progress(result)
                failed = next((r for r in stage_results if r.status == "failed"), None)
                if failed is not None:
                    failure.fail(legs, leg, failed, run)
        if partial:  # --only/--skip: the release is not done, whatever ran
            ran = [r.name for r in results if r.status == "ran"]
            journal.record(label, "partial", ran=ran, **run.start)
        else:
            journal.record(label, "done", **run.start)
    return results


def _run_leg_stage(leg: Leg, stage: list[Step], trees: ReleaseTrees) -> list[StepResult]:
    ctx = leg.ctx
    assert ctx.journal is not None
    stage_results = _run_stage(ctx, stage, ctx.journal, trees)
    if ctx.artifacts and ctx.artifacts.artifacts and any(r.status == "ran" for r in stage_results):
        ctx.artifacts.save(ctx.dist)  # what is built is on record before the next step
    if leg.package is not None:
        for result in stage_results:
            result.name = f"{leg.package}/{result.name}"
    return stage_results


def _run_stage(
    ctx: ReleaseContext, stage: list[Step], journal: Journal, trees: ReleaseTrees
) -> list[StepResult]:
    if len(stage) == 1:
        return [_run_step(ctx, stage[0], journal, trees)]
    running = [s for s in stage if s.applies(ctx)]
    names = " + ".join(s.name for s in running)
    results = {s.name: StepResult(s.name, "skipped") for s in stage}
    with actions.group(f"release: {names}"):
        finished = _at_once(ctx, running, lambda s: _attempt(ctx, s, journal, trees))
    results.update((step.name, result) for step, result in zip(running, finished, strict=True))
    return [results[s.name] for s in stage]


def _run_step(ctx: ReleaseContext, step: Step, journal: Journal, trees: ReleaseTrees) -> StepResult:
    if not step.applies(ctx):
        return StepResult(step.name, "skipped")
    with actions.group(f"release: {step.name}"):
        return _attempt(ctx, step, journal, trees)


def _attempt(ctx: ReleaseContext, step: Step, journal: Journal, trees: ReleaseTrees) -> StepResult:
    """The step, run in the release commit's tree when it reads the sources and HEAD has
    moved on past that commit (engine/sources.py)."""
    start = time.perf_counter()
    try:
        with trees.running(ctx, step) as view:
            return _attempt_in(view, step, journal, start)
    except ReleaseError as exc:
        journal.record(step.name, "failed", error=exc.message)
        seconds = time.perf_counter() - start
        return StepResult(step.name, "failed", seconds, exc.message, exc.detail, exc.hint)


def _attempt_in(ctx: ReleaseContext, step: Step, journal: Journal, start: float) -> StepResult:
    try:
        if step.done(ctx):
            journal.record(step.name, "already-done")
            return StepResult(step.name, "already-done", time.perf_counter() - start)
        killpoints.reached(f"before:{step.name}")
        if step.public and ctx.before_public is not None:
            ctx.before_public()
        journal.record(step.name, "start")
        if ctx.on_start is not None:
            ctx.on_start(step.name)
        before = set(ctx.changes.changed_files)
        step.run(ctx)
        if step.public:
            ctx.changes.public = True
        recovery.record_written(ctx, step.name, set(ctx.changes.changed_files) - before, journal)
    except ReleaseError as exc:
        journal.record(step.name, "failed", error=exc.message)
        seconds = time.perf_counter() - start
        return StepResult(step.name, "failed", seconds, exc.message, exc.detail, exc.hint)
    journal.record(step.name, "done")
    killpoints.reached(f"after:{step.name}")
    return StepResult(step.name, "ran", time.perf_counter() - start)

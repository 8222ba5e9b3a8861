"""The ordered steps of a release, and the two ways to go through them: verify and cut."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from release.core import actions, killpoints
from release.core.context import Problem, ReleaseContext
from release.core.errors import BadInput, ReleaseError, StepFailed
from release.core.journal import Journal, ReleaseLock
from release.core.step import Skip, Step

T = TypeVar("T")

# Steps that may run at the same time: consecutive steps of one set form one stage.
# Publishers run by risk (steps/catalog.py): crates, then PyPI, each alone, since neither can
# be taken back; Docker tags and the GitHub draft, which can, together after them.
CONCURRENT = (frozenset({"docker", "github"}),)
# Checking only asks; every publisher's destination is asked at once (a person waits).
CHECKED_TOGETHER = (frozenset({"crates", "pypi", "docker", "github"}),)


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

    @property
    def problems(self) -> list[Problem]:
        return [*self.ctx.warnings, *(p for s in self.steps for p in s.problems)]

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
    return Plan(ctx, plans)


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


@dataclass
class StepResult:
    name: str
    status: str  # ran | already-done | skipped | failed
    seconds: float = 0.0
    error: str | None = None
    detail: str | None = None  # the failing tool's last words, already redacted

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }


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
    git_dir = ctx.git.git_dir()
    journal = Journal.for_tag(git_dir, ctx.tag)
    results: list[StepResult] = []
    with ReleaseLock(git_dir):
        ctx.changes.start_head = ctx.git.head()
        ctx.artifacts = None  # what verify saw was before the release commit; look again
        ctx.journal = journal  # publishers record each item they publish
        ctx.on_start = progress.start if progress else None
        event = "resume" if resuming else "start"
        journal.record(
            label, event, version=str(ctx.version), tag=ctx.tag, head=ctx.changes.start_head
        )
        for stage in stages(steps):
            stage_results = _run_stage(ctx, stage, journal)
            results.extend(stage_results)
            if (
                ctx.artifacts
                and ctx.artifacts.artifacts
                and any(r.status == "ran" for r in stage_results)
            ):
                ctx.artifacts.save(ctx.dist)  # what is built is on record before the next step
            for result in stage_results:
                if progress:
                    progress(result)
            failed = next((r for r in stage_results if r.status == "failed"), None)
            if failed is not None:
                restored = _restore(ctx)
                journal.record(label, "failed", failed_step=failed.name, restored=restored)
                _announce_failure(ctx, steps, failed, resumable=not restored)
                if restored:
                    raise StepFailed(
                        f"step {failed.name} failed: {failed.error}; the repository is as it was",
                        hint="fix the cause and run the cut again",
                        detail=failed.detail,
                    )
                raise StepFailed(
                    f"step {failed.name} failed: {failed.error}; parts of {ctx.tag} are public",
                    hint="fix the cause, then `release resume` finishes the release "
                    "(`release status` shows what ran)",
                    detail=failed.detail,
                )
        if partial:  # --only/--skip: the release is not done, whatever ran
            ran = [r.name for r in results if r.status == "ran"]
            journal.record(label, "partial", version=str(ctx.version), ran=ran)
        else:
            journal.record(label, "done", version=str(ctx.version))
    return results


def _run_stage(ctx: ReleaseContext, stage: list[Step], journal: Journal) -> list[StepResult]:
    if len(stage) == 1:
        return [_run_step(ctx, stage[0], journal)]
    running = [s for s in stage if s.applies(ctx)]
    names = " + ".join(s.name for s in running)
    results = {s.name: StepResult(s.name, "skipped") for s in stage}
    with actions.group(f"release: {names}"):
        finished = _at_once(ctx, running, lambda s: _attempt(ctx, s, journal))
    results.update((step.name, result) for step, result in zip(running, finished, strict=True))
    return [results[s.name] for s in stage]


def _announce_failure(
    ctx: ReleaseContext, steps: list[Step], failed: StepResult, *, resumable: bool
) -> None:
    """Announcers hear about a failure; their own errors never hide the real one."""
    for step in steps:
        try:
            step.announce_failure(ctx, failed.name, failed.error or "failed", resumable)
        except Exception as exc:  # an announcer must never mask the step that failed
            ctx.record(step.name, "announce-failed", error=str(exc))


def _run_step(ctx: ReleaseContext, step: Step, journal: Journal) -> StepResult:
    if not step.applies(ctx):
        return StepResult(step.name, "skipped")
    with actions.group(f"release: {step.name}"):
        return _attempt(ctx, step, journal)


def _attempt(ctx: ReleaseContext, step: Step, journal: Journal) -> StepResult:
    start = time.perf_counter()
    try:
        if step.done(ctx):
            journal.record(step.name, "already-done")
            return StepResult(step.name, "already-done", time.perf_counter() - start)
        killpoints.reached(f"before:{step.name}")
        journal.record(step.name, "start")
        if ctx.on_start is not None:
            ctx.on_start(step.name)
        if step.public and not step.atomic:
            ctx.changes.public = True  # a failure half-way may have published something
        step.run(ctx)
        if step.public:
            ctx.changes.public = True
    except ReleaseError as exc:
        journal.record(step.name, "failed", error=exc.message)
        seconds = time.perf_counter() - start
        return StepResult(step.name, "failed", seconds, exc.message, exc.detail)
    journal.record(step.name, "done")
    killpoints.reached(f"after:{step.name}")
    return StepResult(step.name, "ran", time.perf_counter() - start)


def _restore(ctx: ReleaseContext) -> bool:
    """Undo local changes of a failed cut, unless something was already pushed."""
    if ctx.changes.public:
        return False
    if ctx.changes.tagged is not None:
        ctx.git.delete_tag(ctx.changes.tagged)
    assert ctx.changes.start_head is not None
    ctx.git.reset_hard(ctx.changes.start_head)
    for created in ctx.changes.created_files:
        (ctx.root / created).unlink(missing_ok=True)
    return True

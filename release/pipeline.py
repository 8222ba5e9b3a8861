"""The ordered steps of a release, and the two ways to go through them: verify and cut."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from release import actions, killpoints
from release.context import Problem, ReleaseContext
from release.errors import BadInput, ReleaseError, StepFailed
from release.journal import Journal, ReleaseLock
from release.steps.base import Step
from release.steps.binaries import BinariesStep
from release.steps.bump import BumpStep
from release.steps.changelog import ChangelogStep
from release.steps.checksums import ChecksumsStep
from release.steps.commit_tag import CommitTagStep
from release.steps.crates import CratesStep
from release.steps.push import PushStep
from release.steps.pypi import PypiStep
from release.steps.sbom import SbomStep
from release.steps.sign import SignStep
from release.steps.wheels import WheelsStep


def prepare_steps() -> list[Step]:
    return [
        # Prepend this version's section to CHANGELOG.md, rendered by git-cliff.
        ChangelogStep(),
        # Write the version into every manifest: Cargo workspace and lock, pyproject, __init__.
        BumpStep(),
        # Commit `chore(release): vX.Y.Z` and make the annotated tag (signed with a key).
        CommitTagStep(),
    ]


def build_steps() -> list[Step]:
    """What `release build` runs on each CI runner; everything lands in dist/."""
    return [
        # cargo build each binary for each target; reproducible NAME-vX.Y.Z-TARGET archives.
        BinariesStep(),
        # Wheel and sdist of each Python package (isolated build, or maturin); twine check.
        WheelsStep(),
        # CycloneDX SBOMs of the Python packages and of the Rust workspace.
        SbomStep(),
        # SHA256SUMS over every artifact, re-hashed and compared with what was built.
        ChecksumsStep(),
        # A detached, verified .asc for every artifact and for SHA256SUMS.
        SignStep(),
    ]


def publish_steps() -> list[Step]:
    """Everything that leaves the machine, read from dist/; never rebuilds."""
    return [
        # The workspace's crates in dependency order, each once, waiting for the index.
        CratesStep(),
        # Wheels and sdists through twine, after asking the index which files it has.
        PypiStep(),
    ]


def all_steps() -> list[Step]:
    return [
        *prepare_steps(),
        *build_steps(),
        *publish_steps(),
        # Push the branch and the tag together (git push --atomic).
        PushStep(),
    ]


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
    action: str
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
    """applies + check of every step: the same code a cut runs, and nothing changes."""
    plans = []
    for step in steps:
        if not step.applies(ctx):
            plans.append(StepPlan(step.name, False, "not configured for this project"))
            continue
        try:
            problems = step.check(ctx)
        except ReleaseError as exc:
            problems = [Problem(step.name, exc.message, exc.hint, where=exc.where)]
        done = False
        if not problems:
            try:
                done = step.done(ctx)
            except ReleaseError as exc:
                problems = [Problem(step.name, exc.message, exc.hint, where=exc.where)]
        plans.append(StepPlan(step.name, True, step.describe(ctx), done, problems))
    return Plan(ctx, plans)


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


Progress = Callable[[StepResult], None]


def cut(
    ctx: ReleaseContext,
    steps: list[Step],
    progress: Progress | None = None,
    *,
    resuming: bool = False,
    label: str = "cut",
) -> list[StepResult]:
    """Run the steps in order. A failure before anything left this machine restores the
    repository as it was; the journal keeps what happened either way."""
    git_dir = ctx.git.git_dir()
    journal = Journal.for_tag(git_dir, ctx.tag)
    results: list[StepResult] = []
    with ReleaseLock(git_dir):
        ctx.state["start_head"] = ctx.git.head()
        ctx.artifacts = None  # what verify saw was before the release commit; look again
        ctx.state["journal"] = journal  # publishers record each item they publish
        event = "resume" if resuming else "start"
        journal.record(
            label, event, version=str(ctx.version), tag=ctx.tag, head=ctx.state["start_head"]
        )
        for step in steps:
            result = _run_step(ctx, step, journal)
            results.append(result)
            if ctx.artifacts and ctx.artifacts.artifacts and result.status == "ran":
                ctx.artifacts.save(ctx.dist)  # what is built is on record before the next step
            if progress:
                progress(result)
            if result.status == "failed":
                restored = _restore(ctx)
                journal.record(label, "failed", failed_step=step.name, restored=restored)
                if restored:
                    raise StepFailed(
                        f"step {step.name} failed: {result.error}; the repository is as it was",
                        hint="fix the cause and run the cut again",
                        detail=result.detail,
                    )
                raise StepFailed(
                    f"step {step.name} failed: {result.error}; parts of {ctx.tag} are public",
                    hint="fix the cause, then `release resume` finishes the release "
                    "(`release status` shows what ran)",
                    detail=result.detail,
                )
        journal.record(label, "done", version=str(ctx.version))
    return results


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
        public = getattr(step, "public", False)
        if public and not getattr(step, "atomic", False):
            ctx.state["public"] = True  # a failure half-way may have published something
        step.run(ctx)
        if public:
            ctx.state["public"] = True
    except ReleaseError as exc:
        journal.record(step.name, "failed", error=exc.message)
        seconds = time.perf_counter() - start
        return StepResult(step.name, "failed", seconds, exc.message, exc.detail)
    journal.record(step.name, "done")
    killpoints.reached(f"after:{step.name}")
    return StepResult(step.name, "ran", time.perf_counter() - start)


def _restore(ctx: ReleaseContext) -> bool:
    """Undo local changes of a failed cut, unless something was already pushed."""
    if ctx.state.get("public"):
        return False
    tag = ctx.state.get("tagged")
    if isinstance(tag, str):
        ctx.git.delete_tag(tag)
    ctx.git.reset_hard(ctx.state["start_head"])
    for created in ctx.state.get("created_files", []):
        (ctx.root / created).unlink(missing_ok=True)
    return True

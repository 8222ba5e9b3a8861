"""The ordered steps of a release, and the two ways to go through them: verify and cut."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

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
from release.steps.docker import DockerStep
from release.steps.github import GithubPublishStep, GithubReleaseStep
from release.steps.homebrew import HomebrewStep
from release.steps.push import PushStep
from release.steps.pypi import PypiStep
from release.steps.sbom import SbomStep
from release.steps.sign import SignStep
from release.steps.slack import SlackStep
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
    """Everything that leaves the machine before the tag does, read from dist/; never
    rebuilds. These four do not depend on each other and run concurrently."""
    return [
        # The workspace's crates in dependency order, each once, waiting for the index.
        CratesStep(),
        # Wheels and sdists through twine, after asking the index which files it has.
        PypiStep(),
        # The version's Docker tags pointed at the image CI pushed (no layer moves).
        DockerStep(),
        # The GitHub release as a draft, with every artifact, signature, SUMS and SBOM.
        GithubReleaseStep(),
    ]


def announce_steps() -> list[Step]:
    """After the tag is public: what points at the release."""
    return [
        # Publish the draft GitHub release, now that its tag exists on the remote.
        GithubPublishStep(),
        # The Homebrew formula's urls and sha256 values, pushed to the tap.
        HomebrewStep(),
        # Slack: what was released and where (a failure of any step is announced too).
        SlackStep(),
    ]


T = TypeVar("T")

# Steps that may run at the same time: consecutive steps of one set form one stage.
CONCURRENT = (frozenset({"crates", "pypi", "docker", "github"}),)


def all_steps() -> list[Step]:
    return [
        *prepare_steps(),
        *build_steps(),
        *publish_steps(),
        # Push the branch and the tag together (git push --atomic): the commit point.
        PushStep(),
        *announce_steps(),
    ]


def tag_trigger_steps() -> list[Step]:
    """A local cut in tag-trigger mode: prepare, tag and push; release.yml does the rest."""
    return [*prepare_steps(), PushStep()]


def publish_run_steps() -> list[Step]:
    """`release publish` on a tag's checkout: SHA256SUMS over the union of the runners'
    artifacts (signed when a key is there), every publisher, the tag if it is not pushed
    yet (never the branch), and the announcements."""
    return [
        ChecksumsStep(),
        SignStep(),
        *publish_steps(),
        PushStep(tag_only=True),
        *announce_steps(),
    ]


def tagged_steps() -> list[Step]:
    """What a tag's checkout may still do: build, publish, push the tag, announce
    (`release verify` there, as release.yml's plan job runs it)."""
    return [*build_steps(), *publish_steps(), PushStep(tag_only=True), *announce_steps()]


def check_manifest(ctx: ReleaseContext) -> None:
    """Publishing needs the artifacts of this very release, built from this commit."""
    manifest = ctx.manifest()
    if not manifest.artifacts:
        raise BadInput(
            f"there are no artifacts of {ctx.tag} built from {manifest.commit[:12]} in "
            f"{ctx.relpath(ctx.dist)}/",
            hint="run `release build` first, or pass the runners' folders with --artifacts",
        )


def stages(steps: list[Step]) -> list[list[Step]]:
    """Consecutive steps of one CONCURRENT set grouped; every other step alone."""
    grouped: list[list[Step]] = []
    for step in steps:
        together = next((s for s in CONCURRENT if step.name in s), None)
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
    """applies + check of every step: the same code a cut runs, and nothing changes. The
    steps of a concurrent stage are checked at once too, as they run: each asks its own
    destination, and a person waits for the sum of those round trips otherwise."""
    plans: list[StepPlan] = []
    for stage in stages(steps):
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
    if not step.applies(ctx):
        return StepPlan(step.name, False, "not configured for this project")
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
        ctx.state["on_start"] = getattr(progress, "start", None)
        event = "resume" if resuming else "start"
        journal.record(
            label, event, version=str(ctx.version), tag=ctx.tag, head=ctx.state["start_head"]
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
        announce = getattr(step, "announce_failure", None)
        if announce is None:
            continue
        try:
            announce(ctx, failed.name, failed.error or "failed", resumable)
        except Exception as exc:  # an announcer must never mask the step that failed
            journal = ctx.state.get("journal")
            if journal is not None:
                journal.record(step.name, "announce-failed", error=str(exc))


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
        starting = ctx.state.get("on_start")
        if callable(starting):
            starting(step.name)
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

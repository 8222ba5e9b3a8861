"""The end of a cut whose step failed: undo it when nothing is public (whichever process did
the work), tell the announcers once per failure, and say what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from release.base.errors import ReleaseError, StepFailed
from release.core.engine import recovery
from release.core.engine.context import ReleaseContext
from release.core.engine.journal import since_last_restore
from release.core.engine.legs import Leg, Run, StepResult
from release.core.engine.step import Step

if TYPE_CHECKING:
    from release.core.engine.journal import Journal

ANNOUNCED = "failure-announced"


def journal_name(leg: Leg, name: str) -> str:
    """A step's name in the journal: after its package in independent mode."""
    return f"{leg.package}/{name}" if leg.package else name


def outline(legs: list[Leg]) -> dict[str, list[str]]:
    """What a run's start line says of its steps, for `release status`: those with work in
    this release, the public ones, and those of them that publish all or nothing."""
    planned = [journal_name(leg, s.name) for leg in legs for s in leg.steps if _has_work(s, leg)]
    public = public_of(legs)
    atomic = [name for name, _, step in public if step.atomic]
    return {"planned": planned, "public": [name for name, _, _ in public], "atomic": atomic}


def _has_work(step: Step, leg: Leg) -> bool:
    try:
        return bool(step.applies(leg.ctx))
    except ReleaseError:
        return True  # the step itself will say what is wrong when it runs


def public_of(legs: list[Leg]) -> list[tuple[str, ReleaseContext, Step]]:
    """Each public step of the run with its journal name and context."""
    found: list[tuple[str, ReleaseContext, Step]] = []
    for leg in legs:
        for step in leg.steps:
            if step.public:
                found.append((journal_name(leg, step.name), leg.ctx, step))
    return found


def fail(legs: list[Leg], leg: Leg, failed: StepResult, run: Run) -> None:
    ctx = leg.ctx
    public = recovery.went_public(run.journal, public_of(legs))
    kept: list[str] = []
    if not public:
        kept = recovery.restore(ctx)
    # Told before the journal says "failed": a restoring failure ends what the journal keeps
    # of this attempt, and the next attempt's failure is a new one.
    _announce_once(legs, leg, failed, run, resumable=public)
    run.journal.record(run.label, "failed", failed_step=failed.name, restored=not public)
    if not public:
        note = ""
        if kept:
            note = "; left as they are: " + ", ".join(kept)
        raise StepFailed(
            f"step {failed.name} failed: {failed.error}; nothing is public and the "
            f"repository is as it was{note}",
            hint=_then(failed.hint, "run the cut again"),
            detail=failed.detail,
        )
    raise StepFailed(
        f"step {failed.name} failed: {failed.error}; parts of {run.name} are public",
        hint=_then(failed.hint, "`release resume` finishes the release")
        + " (`release status` shows what is out and what is left)",
        detail=failed.detail,
    )


def _then(hint: str | None, after: str) -> str:
    """The failing step's own hint (the secret to fix, say), then what finishes the release."""
    return f"{hint}; then {after}" if hint else f"fix the cause, then {after}"


def _announce_once(
    legs: list[Leg], failing: Leg, failed: StepResult, run: Run, *, resumable: bool
) -> None:
    """Announcers hear about a failure once each, with the failing package's context (the
    first package's when the repository's own step failed); a step that fails again in a
    later resume is the same failure and is not announced again. Their own errors never
    hide the real one."""
    entries = since_last_restore(run.journal.entries())
    if any(e["event"] == ANNOUNCED and e.get("failed_step") == failed.name for e in entries):
        return
    ctx = failing.ctx
    if failing.package is None:
        ctx = next((leg.ctx for leg in legs if leg.package is not None), ctx)
    told: set[str] = set()
    for leg in legs:
        for step in leg.steps:
            if step.name in told:
                continue
            told.add(step.name)
            try:
                step.announce_failure(ctx, failed.name, failed.error or "failed", resumable)
            except Exception as exc:  # an announcer must never mask the step that failed
                ctx.record(step.name, "announce-failed", error=str(exc))
    run.journal.record(run.label, ANNOUNCED, failed_step=failed.name)


class PublicGuard:
    """Right before the run's first public step, while its journal shows nothing public:
    every step's `before_public` (the push step asks whether the branch moved)."""

    def __init__(self, legs: list[Leg], journal: Journal) -> None:
        self.legs, self.journal, self.asked = legs, journal, False

    def __call__(self) -> None:
        if self.asked:
            return
        self.asked = True
        if recovery.went_public(self.journal, public_of(self.legs)):
            return
        for leg in self.legs:
            for step in leg.steps:
                step.before_public(leg.ctx)

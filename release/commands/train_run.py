"""`release cut` and `verify` of a train (independent mode): the same pipeline as a lockstep
release, over one leg per package and the repository's own legs (its resume:
commands/train_resume.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from release.base.errors import BadInput, ExitCode
from release.commands import ci
from release.commands.results import ReleasedResult, Stopped, VerifyResult
from release.commands.running import confirmed
from release.commands.train import Train
from release.commands.ui import Ui
from release.core.engine import pipeline
from release.core.engine.context import Problem
from release.core.engine.pipeline import Leg, StepPlan

NOTHING = "no release: no package has a change that calls for one"


def select(legs: list[Leg], skip: list[str], only: list[str]) -> list[Leg]:
    """--skip/--only by step name, over every leg (a name unknown to all of them is refused)."""
    if not skip and not only:
        return legs
    names = {s.name for leg in legs for s in leg.steps}
    for name in [*skip, *only]:
        if name not in names:
            raise BadInput(f"there is no step {name!r}", hint="steps: " + ", ".join(sorted(names)))
    chosen = []
    for leg in legs:
        steps = [s for s in leg.steps if (s.name in only if only else s.name not in skip)]
        if steps:
            chosen.append(Leg(leg.ctx, steps, leg.package))
    return chosen


def checked(legs: list[Leg]) -> tuple[list[StepPlan], list[Problem]]:
    """Every leg's plan, steps named after their package: the same checks a cut makes."""
    steps: list[StepPlan] = []
    problems: list[Problem] = []
    for leg in legs:
        plan = pipeline.verify(leg.ctx, leg.steps)
        for step in plan.steps:
            name = f"{leg.package}/{step.name}" if leg.package else step.name
            steps.append(dataclasses.replace(step, name=name))
        problems += [
            dataclasses.replace(p, step=f"{leg.package}/{p.step}") if leg.package else p
            for p in plan.problems
        ]
    return steps, problems


def verify_train(train: Train, skip: list[str], only: list[str]) -> VerifyResult:
    ci.packages_outputs(train.released(), done=False)
    if not train.ctxs:
        return VerifyResult(train.info(), packages=train.packages(), notes=[NOTHING])
    from release.commands.train_split import matrix

    steps, problems = checked(select(train.legs(), skip, only))
    builds = matrix(train)
    ci.set_matrix(builds)  # the build legs of the release PR workflow's split
    result = VerifyResult(train.info(), steps, problems, matrix=builds, packages=train.packages())
    if result.errors:
        result.exit_code = ExitCode.PROBLEMS
    return result


def cut_train(
    train: Train,
    ui: Ui,
    *,
    yes: bool,
    skip: list[str],
    only: list[str],
    artifacts: list[Path] | None = None,
) -> ReleasedResult | Stopped:
    if not train.ctxs:
        raise BadInput(
            f"nothing to release: {NOTHING.removeprefix('no release: ')}",
            hint="name a package and its version to release it anyway: "
            "release cut --package NAME VERSION",
        )
    legs = select(train.legs(), skip, only)
    if artifacts:  # built on CI runners already: the build steps find them done
        from release.commands.train_split import gather_runners, prebuilt_legs

        gather_runners(train.ctxs, artifacts)
        legs = prebuilt_legs(legs)
    _, problems = checked(legs)
    ui.problems(problems)
    if any(p.severity == "error" for p in problems):
        return Stopped(exit_code=ExitCode.BAD_INPUT, notes=["Nothing was changed."])
    if not confirmed(ui, f"Release {', '.join(train.tags)}?", yes=yes):
        return Stopped(exit_code=ExitCode.BAD_INPUT)
    partial = bool(skip or only)  # --only/--skip: some steps ran, not a release
    results = run_train(train, legs, ui, resuming=False, partial=partial)
    ci.packages_outputs(train.released(), done=not partial)
    tagged = bool(train.lead.changes.tags)
    return ReleasedResult(train.info(), results, partial=partial, tagged=tagged)


def run_train(
    train: Train, legs: list[Leg], ui: Ui, *, resuming: bool, partial: bool
) -> list[pipeline.StepResult]:
    progress = ui.progress()
    try:
        return pipeline.run_legs(legs, train.run(), progress, resuming=resuming, partial=partial)
    finally:
        progress.close()

"""`release cut`, `verify` and `resume` of a train (independent mode): the same pipeline as a
lockstep release, over one leg per package and the repository's own legs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from release.base.errors import BadInput, ExitCode, RepositoryError
from release.base.versioning import Version
from release.commands import ci
from release.commands.restore import restore_files
from release.commands.results import ReleasedResult, ResumeResult, Stopped, VerifyResult
from release.commands.running import confirmed
from release.commands.train import Train, plan_train
from release.commands.ui import Ui
from release.core.engine import pipeline
from release.core.engine.context import Problem
from release.core.engine.journal import Journal
from release.core.engine.pipeline import Leg, StepPlan
from release.steps.changelog.root import changelog_files
from release.steps.version.bump_package import bumped_files
from release.tools.git import Git

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
    results = _run(train, legs, ui, resuming=False, partial=partial)
    ci.packages_outputs(train.released(), done=not partial)
    tagged = bool(train.lead.changes.tags)
    return ReleasedResult(train.info(), results, partial=partial, tagged=tagged)


def _run(
    train: Train, legs: list[Leg], ui: Ui, *, resuming: bool, partial: bool
) -> list[pipeline.StepResult]:
    progress = ui.progress()
    try:
        return pipeline.run_legs(legs, train.run(), progress, resuming=resuming, partial=partial)
    finally:
        progress.close()


def resume_train(
    start: Path, info: dict[str, Any], ui: Ui, *, yes: bool
) -> ReleasedResult | Stopped:
    """Finish an interrupted train: re-planned from its journal's versions; every step's
    `done` asks the world, so each package is released exactly once."""
    train = train_for_resume(start, info)
    if not confirmed(ui, f"Resume {', '.join(train.tags)}?", yes=yes):
        return Stopped(exit_code=ExitCode.BAD_INPUT)
    results = _run(train, train.legs(), ui, resuming=True, partial=False)
    ci.packages_outputs(train.released(), done=True)
    return ResumeResult(train.info(), results)


def train_for_resume(start: Path, info: dict[str, Any]) -> Train:
    git = Git.discover(start)
    versions = {n: Version.parse(v) for n, v in _versions(info).items()}
    ours = {str(t) for t in (info.get("packages") or {}).values()}
    at_head = set(git.tags_at_head("*")) & ours
    train = plan_train(start, None, dict(versions), exclude=frozenset(at_head))
    assert train is not None
    if at_head & set(train.tags):
        return train  # committed (and tagged, at least in part): continue from there
    if info.get("head") and git.head() != info["head"]:
        raise RepositoryError(
            f"HEAD moved since the interrupted cut of {info['tag']} started "
            f"({str(info['head'])[:12]})",
            hint=f"check out {str(info['head'])[:12]} to resume, or start a new cut",
        )
    # Killed before the release commit: only the train's own files changed, and nothing left
    # this machine. Put them back and plan the same versions again.
    files = {train.lead.relpath(p) for p in changelog_files(train.ctxs)}
    for ctx in train.ctxs:
        files |= {ctx.relpath(p) for p in bumped_files(ctx)}
    journal = Journal(Path(info["journal"]))
    restore_files(git, files, journal, train.lead.config.build.dist)
    again = plan_train(start, None, dict(versions))
    assert again is not None
    return again


def _versions(info: dict[str, Any]) -> dict[str, str]:
    start = next(
        (e for e in Journal(Path(info["journal"])).entries() if e.get("event") == "start"), {}
    )
    versions = start.get("versions")
    if not isinstance(versions, dict) or not versions:
        raise RepositoryError(
            f"the journal {info['journal']} does not say which packages were released",
            hint="start a new cut",
        )
    return {str(k): str(v) for k, v in versions.items()}

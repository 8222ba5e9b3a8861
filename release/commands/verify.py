"""`release verify`: the dry run. Every check a cut would meet, and the plan; changes nothing.

On a checkout of a release tag with nothing new (release.yml's plan job), it checks the build
and publish of that release and gives the build matrix. With `--targets-on-runners` (that
job's), each Rust target's toolchain is left to the build leg that builds it on a runner of
its own (release/steps/artifacts/targets.py): a plan on Ubuntu checks a macOS target's
name, never its standard library."""

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
    targets_on_runners: bool = False,
) -> VerifyResult:
    from release.commands.train import train_for

    looked = Looked.open(start)  # the repository, config and lookups: once per command
    train = train_for(start, version, pre, packages or [], looked=looked)
    if train is not None:
        from release.commands.train_run import verify_train

        for each in train.ctxs:
            each.targets_on_runners = targets_on_runners
        return _left_to_runners(verify_train(train, skip, only), targets_on_runners)
    git, cfg, lookups = looked
    ctx = plan(start, version, pre, cfg=cfg, git=git, lookups=lookups)
    ctx.targets_on_runners = targets_on_runners
    prepared.adopt(ctx)  # a merged release pull request: what a cut here would tag
    steps = catalog.cut_steps(ctx.config.git.mode)  # what a cut here would run
    if ctx.version is None and version is None and pre is None:
        tagged = released_at_head(start, cfg=cfg, git=git, lookups=lookups)
        if tagged is not None:
            ctx, steps = tagged, catalog.tagged_steps()
            ctx.targets_on_runners = targets_on_runners
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
    return _left_to_runners(result, targets_on_runners)


def _left_to_runners(result: VerifyResult, targets_on_runners: bool) -> VerifyResult:
    """With --targets-on-runners, a note naming the targets whose toolchain was not checked
    here, and the runner of the build leg that checks it."""
    checked = any(s.name == "binaries" and s.applies for s in result.steps)
    if not (targets_on_runners and checked and result.matrix):
        return result
    legs = [leg for leg in result.matrix["include"] if "--target" in leg["args"].split()]
    left = dict.fromkeys(f"{leg['target']} on {leg['runner']}" for leg in legs)
    if left:
        result.notes.append(
            "each target's toolchain is checked by `release build --target` on its build "
            "leg's runner, not here: " + ", ".join(left)
        )
    return result

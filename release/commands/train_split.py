"""Independent mode across CI runners (the release pull request's workflow, merged): the
train's build matrix (`release verify`), one package built on the merged commit before any
tag names it (`release build --package NAME`), and the runners' artifacts put in each
package's dist folder before `release cut --artifacts DIR` runs the train, whose build
steps then find their work done: nothing is built twice, and the cut keeps its journal,
`status` and `resume` as on a laptop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from release.base.errors import BadInput, ReleaseError
from release.commands.train import Train, plan_train
from release.core.engine.artifacts import ArtifactManifest, artifact_folders, gather
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.matrix import train_matrix
from release.core.engine.pipeline import Leg
from release.core.engine.step import Skip, Step, Verdict
from release.steps.artifacts.binaries import BinariesStep
from release.steps.version.bump_package import PackageBumpStep


def matrix(train: Train) -> dict[str, Any]:
    """The build legs of the train: a runner per target for a package with binaries."""
    return train_matrix(train.ctxs, {_name(c) for c in train.ctxs if _builds_binaries(c)})


def _builds_binaries(ctx: ReleaseContext) -> bool:
    try:
        return not isinstance(BinariesStep().applies(ctx), Skip)
    except ReleaseError:
        return True  # a leg per target, whose build says what is wrong


def _name(ctx: ReleaseContext) -> str:
    assert ctx.package is not None
    return ctx.package.name


def package_to_build(start: Path, name: str) -> ReleaseContext:
    """NAME's context in the train HEAD prepares (a merged release pull request): what
    `release cut` here tags and publishes, built before it is tagged."""
    train = plan_train(start, None)
    if train is None:
        raise BadInput(
            "--package is for repositories whose packages have their own versions",
            hint="this one is versioned in lockstep: `release build` on its release tag",
        )
    known = {p.package.name for p in train.plans}
    if name not in known:
        raise BadInput(
            f"there is no package {name!r} in this repository",
            hint="packages: " + ", ".join(sorted(known)),
        )
    ctx = next((c for c in train.ctxs if _name(c) == name), None)
    if ctx is None:
        raise BadInput(
            f"{name} is not released from HEAD: nothing in it calls for a release",
            hint="`release verify --json` lists the packages released here and their builds",
        )
    if not PackageBumpStep().done(ctx):
        raise BadInput(
            f"HEAD does not carry {ctx.tag} yet: {name}'s manifest does not say {ctx.version}",
            hint="build on the merged release pull request's commit (`release pr` prepares "
            "it), or let `release cut` build and publish in one go",
        )
    return ctx


def gather_runners(ctxs: list[ReleaseContext], given: list[Path]) -> None:
    """Each runner's artifacts into the dist folder of the release they were built for;
    refused, before anything is copied, when a folder holds another release's or was built
    from another commit (its files would be built again, or published for the wrong one)."""
    if not given:
        return
    manifests = [ArtifactManifest.load(f.resolve()) for f in artifact_folders(given)]
    by_tag = {c.tag: c for c in ctxs}
    head = ctxs[0].git.head()
    for manifest in manifests:
        if manifest.tag not in by_tag:
            raise BadInput(
                f"{manifest.root} holds the artifacts of {manifest.tag}, which this cut does "
                f"not release ({', '.join(by_tag)})",
                hint="pass only this release's artifacts (`release verify --json` lists it)",
            )
        if manifest.commit != head:
            raise BadInput(
                f"{manifest.root} was built from {manifest.commit[:12]}, but HEAD is {head[:12]}",
                hint="build on the commit that is released, then cut there",
            )
    for tag, ctx in by_tag.items():
        mine = [m for m in manifests if m.tag == tag]
        if mine:
            gather(mine, ctx.dist)
            ctx.artifacts = None  # read again: the gathered manifest


class Prebuilt(Step):
    """A build step of a cut given the runners' artifacts: what they built is here (its
    files and hashes are what the manifest records: `done`), so what building would need on
    this machine (cargo, a Rust target per runner, a Python build backend) is not asked of
    it; the step is checked as usual when its work is not all here."""

    def __init__(self, step: Step) -> None:
        self.step = step
        self.name, self.public, self.atomic = step.name, step.public, step.atomic

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return self.step.applies(ctx)

    def describe(self, ctx: ReleaseContext) -> str:
        return self.step.describe(ctx)

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        try:
            if self.step.done(ctx):
                return []
        except ReleaseError:
            pass  # its own check says what is missing
        return self.step.check(ctx)

    def done(self, ctx: ReleaseContext) -> bool:
        return self.step.done(ctx)

    def run(self, ctx: ReleaseContext) -> None:
        self.step.run(ctx)


def prebuilt(steps: list[Step]) -> list[Step]:
    """`steps` with the build steps the runners may have done wrapped in Prebuilt."""
    from release.steps import catalog

    built = {s.name for s in catalog.build_steps()}
    return [Prebuilt(s) if s.name in built else s for s in steps]


def prebuilt_legs(legs: list[Leg]) -> list[Leg]:
    return [Leg(leg.ctx, prebuilt(leg.steps), leg.package) for leg in legs]

"""`release pr` in independent mode: every package that changed, prepared on the release
branch by the train's own repository steps (each package's changelog and bump, the
repository's changelog), without the commit and the tags, which the merge and then
`release cut` make."""

from __future__ import annotations

from pathlib import Path

from release.base.errors import ReleaseError
from release.commands.pr_draft import Draft, nothing, prepare, waiting
from release.commands.results import PrResult
from release.commands.train import plan_train
from release.core.engine.context import ReleaseContext
from release.core.engine.step import Step
from release.core.plan.planning import plan
from release.steps.version.train import commit_message


def train_draft(root: Path, base: str) -> Draft | PrResult:
    train = plan_train(root, None)
    assert train is not None  # the caller saw independent versions
    if not train.ctxs:
        return nothing(plan(root), base, "no package has a commit that calls for a release")
    [repository_leg, *_] = train.legs()
    lead = repository_leg.ctx
    steps = [s for s in repository_leg.steps if s.name != "commit-tag"]
    if _all_done(steps, lead):
        # A merged release pull request: every section and bump is there, no tag yet.
        return waiting(
            ", ".join(f"{c.package.name} {c.version}" for c in train.ctxs if c.package),
            ", ".join(train.tags) + (" are" if len(train.tags) > 1 else " is"),
            base,
        )
    prepare(lead, steps, ", ".join(train.tags))
    sections = [c.memo.changelog_section or "" for c in train.ctxs]
    return Draft(
        lead,
        ", ".join(f"{c.package.name} {c.version}" for c in train.ctxs if c.package),
        ", ".join(train.tags),
        commit_message(train.ctxs),
        sections,
    )


def _all_done(steps: list[Step], lead: ReleaseContext) -> bool:
    try:
        return all(not s.applies(lead) or s.done(lead) for s in steps)
    except ReleaseError:
        return False

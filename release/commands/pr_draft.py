"""What `release pr` prepares in its scratch worktree (lockstep here, a train in
release.commands.pr_train): the draft of the release commit and pull request, or why there
is none (nothing to release: a stale pull request closed; a merged one waiting for the
release job)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.base.errors import BadInput
from release.commands.results import PrResult
from release.core.engine.context import ReleaseContext
from release.core.engine.step import Step
from release.core.plan import prepared
from release.core.plan.planning import plan
from release.remote.github_pulls import PullRequestSite
from release.steps.changelog.step import ChangelogStep
from release.steps.github.step import repository
from release.steps.version.bump import BumpStep
from release.steps.version.commit_tag import commit_message


@dataclass
class Draft:
    """The release prepared in the scratch worktree: what the commit and the pull request say."""

    ctx: ReleaseContext  # lockstep's, or a train's lead (the repository's own steps)
    version: str  # "1.2.0", or "core 0.3.1, cli 1.0.1" for a train
    tag: str
    title: str
    sections: list[str]


def site(ctx: ReleaseContext, branch: str, base: str) -> PullRequestSite:
    name = repository(ctx)
    if name is None:
        raise BadInput(
            "no GitHub repository: the remote is not on GitHub and [github] repository is unset",
            hint='set [github] repository = "owner/name"',
        )
    github = ctx.config.github
    return PullRequestSite(github.api_url, github.write_interval, name, branch, base)


def prepare(ctx: ReleaseContext, steps: list[Step], tag: str) -> None:
    """The changelog sections and the bumps, checked first as a cut checks them."""
    problems = [p for s in steps if s.applies(ctx) for p in s.check(ctx)]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BadInput("; ".join(f"{p.step}: {p.message}" for p in errors), hint=errors[0].hint)
    for step in steps:
        if step.applies(ctx) and not step.done(ctx):
            step.run(ctx)
    if not ctx.changes.changed_files:
        raise BadInput(
            f"preparing {tag} changed no file: there is nothing to review",
            hint="enable [changelog] or let the manifests state the version",
        )


def nothing(ctx: ReleaseContext, branch_base: str, reason: str) -> PrResult:
    """No release: a stale release pull request is closed."""
    stale = site(ctx, ctx.config.pr.branch, branch_base)
    return PrResult("nothing", None, stale.close(), notes=[f"no release: {reason}"])


def waiting(version: str, tags: str, base: str) -> PrResult:
    """A merged release pull request not released yet: the release job's turn."""
    return PrResult(
        "prepared", version, None, notes=[f"{tags} prepared on {base}: `release cut` releases it"]
    )


def lockstep_draft(root: Path, base: str) -> Draft | PrResult:
    ctx = plan(root)
    found = prepared.prepared_version(ctx)
    if found is not None:
        return waiting(str(found), f"{ctx.tag_format.format(found)} is", base)
    if ctx.version is None:
        return nothing(ctx, base, ctx.reason)
    prepare(ctx, [ChangelogStep(), BumpStep()], ctx.tag)
    section = ctx.memo.changelog_section or ""
    return Draft(ctx, str(ctx.version), ctx.tag, commit_message(ctx), [section])

"""`release pr`: the next release prepared on a branch and reviewed as a pull request.

From the remote's default branch, in a scratch worktree (the user's work tree is never
touched): the changelog and bump steps, as a cut runs them, and the release commit; the
release branch force-pushed with a lease; one pull request opened or updated in place and
labelled. Nothing to release closes a stale one. Merging it leaves the release prepared on
the default branch, which `release cut` then tags and publishes (release.core.prepared).
"""

from __future__ import annotations

from pathlib import Path

from release.commands.results import PrResult
from release.core import actions, prepared
from release.core import config as config_module
from release.core.context import ReleaseContext
from release.core.errors import BadInput, ReleaseError
from release.core.planning import plan
from release.core.release_mode import is_independent
from release.remote.github_pulls import PullRequestRef, PullRequestSite
from release.steps import catalog
from release.steps.bump import BumpStep
from release.steps.changelog import ChangelogStep
from release.steps.commit_tag import commit_message
from release.steps.github import repository
from release.tools import git_branch
from release.tools.git import Git

TRAILER = "Release-Toolkit-Pr"  # marks the commits `release pr` made on the release branch


def pr(start: Path) -> PrResult:
    """Prepare the next release on the release branch and keep its pull request; in Actions,
    `state` (open, nothing, prepared), `version` and `pull_request` (its URL) as outputs."""
    result = _prepare_pull(start)
    actions.set_output("state", result.state)
    actions.set_output("version", result.version or "")
    actions.set_output("pull_request", result.pull.url if result.pull else "")
    return result


def _prepare_pull(start: Path) -> PrResult:
    git = Git.discover(start)
    cfg = config_module.load(git.root)
    if is_independent(git, cfg):
        raise BadInput(
            "`release pr` prepares lockstep releases; this repository versions its packages "
            "independently",
            hint="cut the packages with `release cut` until independent release pull "
            "requests are supported",
        )
    remote, base, branch = cfg.git.remote, cfg.git.branches[0], cfg.pr.branch
    base_commit = git_branch.fetch(git, remote, base)
    if base_commit is None:
        raise BadInput(
            f"the remote {remote!r} has no branch {base!r} to prepare the release from",
            hint="push the default branch first, or set [git] branch",
        )
    git_branch.fetch_tags(git, remote)
    pushed = git_branch.fetch(git, remote, branch)
    with git_branch.scratch_worktree(git, base_commit) as tree:
        ctx = plan(tree.root)  # the default branch's own config
        site = _site(ctx, branch, base)
        waiting = prepared.prepared_version(ctx)
        if waiting is not None:
            return PrResult(
                "prepared",
                str(waiting),
                None,
                notes=[
                    f"{ctx.tag_format.format(waiting)} is prepared on {base}: "
                    "`release cut` releases it"
                ],
            )
        if ctx.version is None:
            closed = site.close()
            return PrResult("nothing", None, closed, notes=[f"no release: {ctx.reason}"])
        _prepare(ctx)
        commit = tree.commit(
            f"{commit_message(ctx)}\n\n{TRAILER}: {branch}",
            sorted(set(ctx.changes.changed_files)),
            author=git_branch.identity(git),
        )
        if pushed is not None:
            _check_not_foreign(git, base_commit, pushed, branch)
        if pushed is None or not git_branch.same_change(git, commit, pushed):
            git_branch.push_with_lease(git, remote, commit, branch, pushed)
        title = commit_message(ctx)
        body = _body(ctx, base)
    ref = site.upsert(title, body, cfg.pr.labels)
    return PrResult("open", str(ctx.version), ref)


def _site(ctx: ReleaseContext, branch: str, base: str) -> PullRequestSite:
    name = repository(ctx)
    if name is None:
        raise BadInput(
            "no GitHub repository: the remote is not on GitHub and [github] repository is unset",
            hint='set [github] repository = "owner/name"',
        )
    github = ctx.config.github
    return PullRequestSite(github.api_url, github.write_interval, name, branch, base)


def _prepare(ctx: ReleaseContext) -> None:
    """The changelog section and the bump, checked first as a cut checks them."""
    steps = [ChangelogStep(), BumpStep()]
    problems = [p for s in steps if s.applies(ctx) for p in s.check(ctx)]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BadInput("; ".join(f"{p.step}: {p.message}" for p in errors), hint=errors[0].hint)
    for step in steps:
        if step.applies(ctx) and not step.done(ctx):
            step.run(ctx)
    if not ctx.changes.changed_files:
        raise BadInput(
            f"preparing {ctx.tag} changed no file: there is nothing to review",
            hint="enable [changelog] or let the manifests state the version",
        )


def _check_not_foreign(git: Git, base: str, pushed: str, branch: str) -> None:
    """Stop when the release branch carries a commit `release pr` did not make: force-pushing
    would discard someone's work without a word."""
    foreign = [
        oid
        for oid, message in git_branch.commits_between(git, base, pushed)
        if f"{TRAILER}: " not in message
    ]
    if foreign:
        raise BadInput(
            f"the release branch {branch!r} has {len(foreign)} commit(s) that `release pr` did "
            f"not make (newest {foreign[0][:12]}); updating it would discard them",
            hint=f"move them to another branch, then delete {branch!r} on the remote "
            f"(git push origin --delete {branch}) and run `release pr` again",
        )


def _body(ctx: ReleaseContext, base: str) -> str:
    """The changelog section and where the release goes, for the reviewer."""
    section = ctx.memo.changelog_section or ""
    destinations = []
    for step in catalog.publish_steps() + catalog.announce_steps()[:2]:
        try:
            if step.applies(ctx):
                destinations.append(f"- {step.describe(ctx)}")
        except ReleaseError:
            continue  # a destination that cannot say yet: its check speaks at release time
    where = "\n".join(destinations) or "- nothing is published: the release is its tag"
    return (
        f"This pull request releases **{ctx.tag}** ({ctx.reason}). Merging it into `{base}` "
        "tags the merged commit and publishes the release; edit the changelog here and the "
        "edited text is what gets released.\n\n"
        f"## Changelog\n\n{section.strip()}\n\n## What will be published\n\n{where}\n\n"
        "<sub>Kept up to date by `release pr` (release-toolkit) on every push to "
        f"`{base}`.</sub>\n"
    )


__all__ = ["TRAILER", "PullRequestRef", "pr"]

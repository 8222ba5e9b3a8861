"""`release pr`: the next release prepared on a branch and reviewed as a pull request.

From the remote's default branch, in a scratch worktree (the user's work tree is never
touched): the changelog and bump steps, as a cut runs them, and the release commit; the
release branch force-pushed with a lease; one pull request opened or updated in place and
labelled. Nothing to release closes a stale one. Merging it leaves the release prepared on
the default branch, which `release cut` then tags and publishes (release.core.plan.prepared).
"""

from __future__ import annotations

from pathlib import Path

from release.base import actions
from release.base.errors import BadInput, ReleaseError
from release.commands.pr_draft import Draft, lockstep_draft, site
from release.commands.results import PrResult
from release.core.plan.release_mode import is_independent
from release.core.settings import config as config_module
from release.remote.github_pulls import PullRequestRef
from release.steps import catalog
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
        if is_independent(tree, config_module.load(tree.root)):  # the default branch's config
            from release.commands.pr_train import train_draft

            draft = train_draft(tree.root, base)
        else:
            draft = lockstep_draft(tree.root, base)
        if isinstance(draft, PrResult):
            return draft
        pull_site = site(draft.ctx, branch, base)
        commit = tree.commit(
            f"{draft.title}\n\n{TRAILER}: {branch}",
            sorted(set(draft.ctx.changes.changed_files)),
            author=git_branch.identity(git),
        )
        if pushed is not None:
            _check_not_foreign(git, base_commit, pushed, branch)
        if pushed is None or not git_branch.same_change(git, commit, pushed):
            git_branch.push_with_lease(git, remote, commit, branch, pushed)
        body = _body(draft, base)
    ref = pull_site.upsert(draft.title, body, cfg.pr.labels)
    return PrResult("open", draft.version, ref)


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


def _body(draft: Draft, base: str) -> str:
    """The changelog sections and where the release goes, for the reviewer."""
    ctx = draft.ctx
    destinations = []
    for step in catalog.publish_steps() + catalog.announce_steps()[:2]:
        try:
            if step.applies(ctx):
                destinations.append(f"- {step.describe(ctx)}")
        except ReleaseError:
            continue  # a destination that cannot say yet: its check speaks at release time
    where = "\n".join(destinations) or "- nothing is published: the release is its tag"
    sections = "\n\n".join(s.strip() for s in draft.sections)
    return (
        f"This pull request releases **{draft.tag}**. Merging it into `{base}` tags the "
        "merged commit and publishes the release; edit the changelog here and the edited "
        "text is what gets released.\n\n"
        f"## Changelog\n\n{sections}\n\n## What will be published\n\n{where}\n\n"
        "<sub>Kept up to date by `release pr` (release-toolkit) on every push to "
        f"`{base}`.</sub>\n"
    )


__all__ = ["TRAILER", "Draft", "PullRequestRef", "pr"]

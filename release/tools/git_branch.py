"""Git for the release pull request: the default branch fetched, a scratch worktree that
never touches the user's work tree, and the release branch pushed with a lease."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from release.base.errors import ToolError
from release.base.secrets import redact
from release.tools import git_scratch
from release.tools.git import Git
from release.tools.run import run

BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


def fetch(git: Git, remote: str, branch: str) -> str | None:
    """The remote's `branch` fetched into `refs/remotes/<remote>/<branch>`; its commit, or
    None when the remote has no such branch."""
    heads = git.ls_remote(remote, f"refs/heads/{branch}")
    if f"refs/heads/{branch}" not in heads:
        return None
    spec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    proc = run(["git", "fetch", "--quiet", "--no-tags", remote, spec], cwd=git.root, check=False)
    if proc.returncode != 0:
        raise ToolError(
            f"could not fetch {branch!r} from the remote {remote!r}",
            hint="check the remote's URL and your credentials (git remote -v)",
            detail=redact(proc.stderr.strip()),
        )
    return git.rev_parse(f"refs/remotes/{remote}/{branch}")[0]


def fetch_tags(git: Git, remote: str) -> None:
    """The remote's tags: a release made elsewhere (CI) counts as released here too."""
    run(["git", "fetch", "--quiet", "--tags", remote], cwd=git.root, check=False)


@contextmanager
def scratch_worktree(git: Git, commit: str) -> Iterator[Git]:
    """A detached worktree at `commit` in a temporary folder, removed afterwards
    (git_scratch.py's, as `release replay` uses it)."""
    with git_scratch.scratch_worktree(git, commit, prefix="release-pr-") as tree:
        yield Git(tree)


def identity(git: Git) -> tuple[str, str] | None:
    """None when git has a committer identity; else the Actions bot's (a CI runner has none)."""
    proc = run(["git", "config", "user.email"], cwd=git.root, check=False)
    return None if proc.stdout.strip() else BOT


def commits_between(git: Git, base: str, tip: str) -> list[tuple[str, str]]:
    """(id, full message) of each commit in `tip` that `base` lacks, newest first."""
    listed = git.out("log", "--format=%H%x1f%B%x1e", f"{base}..{tip}")
    found = []
    for record in listed.split("\x1e"):
        if record.strip():
            oid, _, message = record.strip().partition("\x1f")
            found.append((oid, message))
    return found


def same_change(git: Git, ours: str, theirs: str) -> bool:
    """Both commits make the same tree on the same parent: pushing ours would change nothing."""
    a = git.rev_parse(f"{ours}^{{tree}}", f"{ours}^")
    b = git.rev_parse(f"{theirs}^{{tree}}", f"{theirs}^")
    return a == b


def push_with_lease(git: Git, remote: str, commit: str, branch: str, expected: str | None) -> None:
    """Force `branch` on the remote to `commit`, only if it is still at `expected` (absent
    when None): a commit pushed meanwhile makes git refuse rather than lose it."""
    lease = f"--force-with-lease=refs/heads/{branch}:{expected or ''}"
    argv = ["git", "push", "--quiet", lease, remote, f"{commit}:refs/heads/{branch}"]
    proc = run(argv, cwd=git.root, check=False, env={"GIT_TERMINAL_PROMPT": "0"})
    if proc.returncode != 0:
        raise ToolError(
            f"could not push the release branch {branch!r} to {remote!r}",
            hint="if someone pushed to it meanwhile, run `release pr` again; otherwise check "
            "that the token may push branches (contents: write)",
            detail=redact(proc.stderr.strip()),
        )

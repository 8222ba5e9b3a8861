"""The release branch's git: a scratch worktree that leaves the user's checkout as it was,
and a push that refuses to overwrite a commit it did not expect (the lease)."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ToolError
from release.tools import git_branch
from release.tools.git import Git

from ..conftest import Repo, git


def test_the_scratch_worktree_leaves_no_trace(repo: Repo, tmp_path: Path) -> None:
    repo.commit("feat: one")
    repo.add_remote(tmp_path)
    before = repo.snapshot()
    main = git_branch.fetch(Git(repo.path), "origin", "main")
    assert main == repo.git("rev-parse", "HEAD")
    assert git_branch.fetch(Git(repo.path), "origin", "no-such-branch") is None
    with git_branch.scratch_worktree(Git(repo.path), main) as tree:
        (tree.root / "notes.txt").write_text("changed in the scratch tree\n")
        made = tree.commit("chore(release): v1.0.0", ["notes.txt"])
        where = tree.root
    assert not where.exists()
    assert repo.snapshot() == before  # HEAD, tags and the work tree untouched
    assert len(repo.git("worktree", "list").splitlines()) == 1  # only the user's own
    assert repo.git("cat-file", "-t", made) == "commit"  # the object stays, for the push


def test_the_push_refuses_a_branch_moved_since_it_was_read(repo: Repo, tmp_path: Path) -> None:
    repo.commit("feat: one")
    remote = repo.add_remote(tmp_path)
    first = repo.commit("chore: ours")
    git_branch.push_with_lease(Git(repo.path), "origin", first, "next", None)
    assert git(remote, "rev-parse", "refs/heads/next") == first
    theirs = repo.commit("docs: theirs")
    with pytest.raises(ToolError, match="could not push the release branch 'next'"):
        git_branch.push_with_lease(Git(repo.path), "origin", theirs, "next", None)  # it exists
    repo.git("push", "-q", "origin", "HEAD:refs/heads/next")
    ours = repo.commit("chore: ours again")
    with pytest.raises(ToolError):  # we expected `first`: their commit is not overwritten
        git_branch.push_with_lease(Git(repo.path), "origin", ours, "next", first)
    assert git(remote, "rev-parse", "refs/heads/next") == theirs
    git_branch.push_with_lease(Git(repo.path), "origin", ours, "next", theirs)
    assert git(remote, "rev-parse", "refs/heads/next") == ours
    listed = git_branch.commits_between(Git(repo.path), first, ours)
    assert [oid for oid, _ in listed] == [ours, theirs]
    assert listed[1][1].startswith("docs: theirs")

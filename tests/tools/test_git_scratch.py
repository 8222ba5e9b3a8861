"""A scratch worktree at one commit: made beside the repository, gone afterwards, and made
even when the clone lacks the content of some files (a mirror without its largest blobs)."""

from __future__ import annotations

from release.tools.git import Git
from release.tools.git_scratch import scratch_worktree
from tests.conftest import Repo


def test_a_scratch_tree_at_a_commit_and_nothing_left(repo: Repo) -> None:
    repo.write("big.bin", "a large asset\n")
    first = repo.commit("feat: one", file="src/a.txt")
    repo.commit("feat: two", file="src/a.txt")
    blob = repo.git("rev-parse", f"{first}:big.bin")
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # the clone lacks it
    before = repo.snapshot()
    with scratch_worktree(Git(repo.path), first) as tree:
        assert (tree / "src" / "a.txt").read_text() == "1 feat: one\n"
        assert not (tree / "big.bin").exists()
        assert Git(tree).out("status", "--porcelain") == ""  # left out, not deleted
        assert len(repo.git("worktree", "list").splitlines()) == 2
    assert not tree.exists()
    assert len(repo.git("worktree", "list").splitlines()) == 1
    assert repo.snapshot() == before

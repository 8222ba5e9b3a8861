"""The Git methods the steps and commands use instead of raw argument lists, on real repos."""

from __future__ import annotations

from pathlib import Path

from release.tools.git import Auth, Git
from tests.conftest import Repo


def test_tags_dirty_paths_and_restoring_files(repo: Repo) -> None:
    git = Git(repo.path)
    first = repo.commit("feat: one", file="one.txt")
    repo.tag("v1.0.0")  # annotated: the ref holds a tag object, not the commit
    assert git.commit_of("v1.0.0") == first
    tag_object = git.tag_object("v1.0.0")
    assert tag_object is not None and tag_object != first
    assert git.rev_parse("refs/tags/v1.0.0", "HEAD") == [tag_object, first]
    assert git.tag_object("v9.9.9") is None
    repo.write("dist/app.tar.gz", "built\n")
    repo.write("one.txt", "changed\n")
    assert sorted(git.dirty_paths()) == ["dist/", "one.txt"]
    assert git.dirty_paths(outside="dist/") == ["one.txt"]
    assert "one.txt" in git.tracked_files() and "dist/app.tar.gz" not in git.tracked_files()
    git.checkout_paths(["one.txt"])
    assert git.dirty_paths(outside="dist") == []


def test_clone_commit_and_push_with_a_token_in_the_environment_only(
    repo: Repo, tmp_path: Path
) -> None:
    repo.commit("feat: one", file="one.txt")
    remote = repo.add_remote(tmp_path)
    auth = Auth("TAP_TOKEN", "s3cr3t-token")
    assert "s3cr3t-token" not in " ".join(auth.options())  # argv names the variable only
    assert auth.env()["TAP_TOKEN"] == "s3cr3t-token"
    (tmp_path / "work").mkdir()
    clone = Git.clone(str(remote), tmp_path / "work" / "tap", branch="main", auth=auth, what="x")
    (clone.root / "two.txt").write_text("2\n")
    head = clone.commit("two", ["two.txt"], author=("bot", "bot@localhost"))
    clone.push("origin", "HEAD:refs/heads/main", dry_run=True)
    assert Git(repo.path).ls_remote(str(remote), "refs/heads/main") != {"refs/heads/main": head}
    clone.push("origin", "HEAD:refs/heads/main")
    assert Git(repo.path).ls_remote(str(remote), "refs/heads/main") == {"refs/heads/main": head}


def test_symlinks_a_build_could_pack(repo: Repo) -> None:
    """Tracked links, and untracked ones .gitignore does not hide (a venv's are hidden)."""
    repo.commit("feat: one", file="one.txt")
    (repo.path / "tracked").symlink_to("one.txt")
    (repo.path / "dir").mkdir()
    (repo.path / "dir" / "untracked").symlink_to("../../outside")
    (repo.path / ".venv" / "bin").mkdir(parents=True)
    (repo.path / ".venv" / "bin" / "python").symlink_to("/usr/bin/python3")
    repo.write(".gitignore", ".venv/\n")
    repo.git("add", "tracked", ".gitignore")
    repo.git("commit", "-q", "-m", "chore: a link")
    assert sorted(Git(repo.path).symlinks()) == ["dir/untracked", "tracked"]


def test_every_tag_includes_a_scoped_packages_tag(repo: Repo) -> None:
    """biome tags `@biomejs/biome@2.5.10`: `*` must not stop at its slash."""
    repo.commit("feat: one")
    repo.tag("@biomejs/biome@2.5.10")
    repo.tag("v1.0.0")
    assert sorted(Git(repo.path).tags("*")) == ["@biomejs/biome@2.5.10", "v1.0.0"]
    assert sorted(Git(repo.path).tags_merged("*")) == ["@biomejs/biome@2.5.10", "v1.0.0"]

"""Independent mode's push (every package's tag with the branch) when the branch moved during
the cut: stopped while nothing is public, merged and pushed once after something is, as a
lockstep cut does (release.steps.push)."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ReleaseError
from release.commands.train import plan_train
from release.steps.version.train import TrainPushStep
from tests.conftest import Repo, git


def _workspace(repo: Repo, tmp_path: Path) -> Path:
    for name, version in (("alpha", "1.0.0"), ("beta", "2.0.0")):
        repo.write(f"{name}/pyproject.toml", f'[project]\nname = "{name}"\nversion = "{version}"\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: two packages")
    repo.tag("alpha-v1.0.0")
    repo.tag("beta-v2.0.0")
    repo.commit("fix: alpha", file="alpha/a.py")
    repo.commit("feat: beta", file="beta/b.py")
    return repo.add_remote(tmp_path)


def _colleague_pushes(bare: Path, tmp_path: Path) -> None:
    clone = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    (clone / "README.md").write_text("theirs\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "docs: a readme")
    git(clone, "push", "-q", "origin", "HEAD:main")


def _release_commit(repo: Repo, tags: list[str]) -> None:
    repo.commit("chore(release): " + ", ".join(tags), file="release.txt")
    for tag in tags:
        repo.tag(tag)


def test_a_moved_branch_stops_the_train_before_anything_is_public(
    repo: Repo, tmp_path: Path
) -> None:
    bare = _workspace(repo, tmp_path)
    train = plan_train(repo.path, None)
    assert train is not None and train.tags == ["alpha-v1.0.1", "beta-v2.1.0"]
    _release_commit(repo, train.tags)
    _colleague_pushes(bare, tmp_path)
    step = TrainPushStep(train.ctxs)
    with pytest.raises(ReleaseError, match="moved since the cut started"):
        step.before_public(train.lead)


def test_a_moved_branch_after_going_public_is_merged_and_pushed_once(
    repo: Repo, tmp_path: Path
) -> None:
    bare = _workspace(repo, tmp_path)
    train = plan_train(repo.path, None)
    assert train is not None
    _release_commit(repo, train.tags)
    release_commit = repo.git("rev-parse", "HEAD")
    _colleague_pushes(bare, tmp_path)
    step = TrainPushStep(train.ctxs)
    step.run(train.lead)
    assert step.done(train.lead)
    remote_main = git(bare, "rev-parse", "refs/heads/main")
    git(bare, "merge-base", "--is-ancestor", release_commit, remote_main)  # raises if not
    assert git(bare, "cat-file", "-p", remote_main).count("parent ") == 2  # a merge commit
    for tag in train.tags:
        assert git(bare, "rev-parse", f"refs/tags/{tag}^{{commit}}") == release_commit

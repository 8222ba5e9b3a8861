"""Independent mode's tags on a resume whose HEAD moved on past the release commit: a tag a
kill left unmade goes on the release commit (steps/version/train.py), never on HEAD."""

from __future__ import annotations

from pathlib import Path

from release.commands.train import plan_train
from release.steps.version.train import TrainCommitTagStep
from tests.conftest import Repo

from .test_train_push import _workspace


def test_a_tag_left_unmade_goes_on_the_release_commit(repo: Repo, tmp_path: Path) -> None:
    _workspace(repo, tmp_path)
    train = plan_train(repo.path, None)
    assert train is not None and len(train.tags) == 2
    release_commit = repo.commit("chore(release): " + ", ".join(train.tags), file="release.txt")
    repo.tag(train.tags[0])  # killed between the two tags
    repo.commit("docs: on top", file="NOTES.md")
    for ctx in train.ctxs:
        ctx.release_commit = release_commit
    step = TrainCommitTagStep(train.ctxs)
    assert not step.done(train.lead)
    step.run(train.lead)
    assert step.done(train.lead)
    for tag in train.tags:
        assert repo.git("rev-parse", f"{tag}^{{commit}}") == release_commit
    assert repo.git("log", "-1", "--format=%s") == "docs: on top"  # no commit made

"""The history reads independent versioning makes: which tags HEAD reaches."""

from __future__ import annotations

import pytest

from release.tools import git_history
from release.tools.git import Git
from release.tools.git_history import reachable_tags, tag_commits
from tests.conftest import Repo


def test_reachable_tags_answers_only_for_the_tags_asked(repo: Repo) -> None:
    repo.commit("chore: start")
    repo.tag("a-v1.0.0")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("feat: on the side")
    repo.tag("a-v2.0.0")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge side", "side")
    repo.git("checkout", "-q", "-b", "other", "HEAD~1")
    repo.commit("feat: never merged")
    repo.tag("a-v3.0.0")
    repo.git("checkout", "-q", "main")
    git = Git(repo.path)
    asked = ["a-v1.0.0", "a-v2.0.0", "a-v3.0.0", "no-such-tag", "a"]
    assert reachable_tags(git, asked) == {"a-v1.0.0", "a-v2.0.0"}
    assert reachable_tags(git, []) == set()
    assert set(tag_commits(git, merged=False)) == {
        "a-v1.0.0",
        "a-v2.0.0",
        "a-v3.0.0",
    }


def test_too_many_tags_for_a_command_line_are_asked_all_at_once(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("chore: start")
    repo.tag("a-v1.0.0")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("feat: on the side")
    repo.tag("a-v2.0.0")
    repo.git("checkout", "-q", "main")
    monkeypatch.setattr(git_history, "_MAX_ARGS", 10)
    assert reachable_tags(Git(repo.path), ["a-v1.0.0", "a-v2.0.0"]) == {"a-v1.0.0"}

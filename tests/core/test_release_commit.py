"""Where HEAD stands to an unfinished release's commit, as resume and status read it: at
it, past it (a commit on top, a merge), off it (another branch), or no tag made yet."""

from __future__ import annotations

import pytest

from release.base.errors import RepositoryError
from release.core.plan.release_commit import head_story, release_commit
from release.tools.git import Git
from tests.conftest import Repo

TAGS = ["alpha-v1.0.1", "beta-v2.1.0"]


def _released(repo: Repo, tags: list[str]) -> str:
    repo.commit("chore: start")
    commit = repo.commit("chore(release): " + ", ".join(TAGS), file="release.txt")
    for tag in tags:
        repo.tag(tag)
    return commit


def test_no_tag_made_yet_is_not_committed(repo: Repo) -> None:
    repo.commit("chore: start")
    assert release_commit(Git(repo.path), TAGS) is None
    assert head_story(Git(repo.path), TAGS).resumable


def test_at_head_and_past_it(repo: Repo) -> None:
    commit = _released(repo, TAGS[:1])  # a kill between the two tags made one
    found = release_commit(Git(repo.path), TAGS)
    assert found is not None and (found.commit, found.tags, found.at_head) == (
        commit,
        TAGS[:1],
        True,
    )
    repo.commit("docs: on top")
    found = release_commit(Git(repo.path), TAGS)
    assert found is not None and found.commit == commit and not found.at_head
    story = head_story(Git(repo.path), TAGS)
    assert story.resumable and story.commit == commit
    assert story.said is not None and f"moved on past its release commit ({commit[:12]})" in (
        story.said
    )


def test_a_merge_of_a_moved_branch_is_past_it(repo: Repo) -> None:
    commit = _released(repo, TAGS)
    repo.git("switch", "-q", "-c", "theirs", "HEAD~1")
    repo.commit("docs: theirs", file="theirs.md")
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-edit", "theirs")
    found = release_commit(Git(repo.path), TAGS)
    assert found is not None and found.commit == commit and not found.at_head


def test_a_head_without_it_is_refused_with_what_to_do(repo: Repo) -> None:
    commit = _released(repo, TAGS)
    repo.git("switch", "-q", "-c", "elsewhere", "HEAD~1")
    before = repo.snapshot()
    with pytest.raises(RepositoryError) as refused:
        release_commit(Git(repo.path), TAGS)
    assert f"HEAD does not contain the release commit of {', '.join(TAGS)}" in str(
        refused.value.message
    )
    assert commit[:12] in refused.value.message
    assert refused.value.hint is not None and f"git merge {TAGS[0]}" in refused.value.hint
    assert refused.value.exit_code == 2
    story = head_story(Git(repo.path), TAGS)
    assert not story.resumable and story.said is not None and "git switch" in story.said
    assert repo.snapshot() == before


def test_tags_on_two_commits_are_refused(repo: Repo) -> None:
    _released(repo, TAGS[:1])
    repo.commit("docs: on top")
    repo.tag(TAGS[1])
    with pytest.raises(RepositoryError, match="point at different commits"):
        release_commit(Git(repo.path), TAGS)

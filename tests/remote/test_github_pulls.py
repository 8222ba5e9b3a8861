"""The release pull request through PyGithub against the loopback GitHub: opened once,
left alone when nothing changed, updated in place, labelled, closed; errors name the
permission."""

from __future__ import annotations

import pytest

from release.base.errors import ReleaseError
from release.remote.github_pulls import PullRequestSite
from tests.services.github_api import READ_ONLY_TOKEN, GithubApi


def test_open_keep_update_and_close(github_api: GithubApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", github_api.token)
    github_api.add_repo("acme", "pulls")
    site = PullRequestSite(github_api.url, 0, "acme/pulls", "release-toolkit/next", "main")
    assert site.find() is None and site.close() is None
    opened = site.upsert("chore(release): v1.0.0", "notes", ["release-toolkit: pending"])
    assert opened.action == "opened" and opened.url.endswith(f"/pull/{opened.number}")
    kept = site.upsert("chore(release): v1.0.0", "notes", ["release-toolkit: pending"])
    assert (kept.number, kept.action) == (opened.number, "unchanged")
    updated = site.upsert("chore(release): v2.0.0", "more notes", ["release-toolkit: pending"])
    assert (updated.number, updated.action) == (opened.number, "updated")
    [pull] = github_api.pulls("acme", "pulls")
    assert (pull.title, pull.body, pull.labels) == (
        "chore(release): v2.0.0",
        "more notes",
        ["release-toolkit: pending"],
    )
    closed = site.close()
    assert closed is not None and closed.action == "closed" and pull.state == "closed"
    assert site.find() is None


def test_a_read_only_token_is_told_what_it_lacks(
    github_api: GithubApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", READ_ONLY_TOKEN)
    github_api.add_repo("acme", "pulls-ro")
    site = PullRequestSite(github_api.url, 0, "acme/pulls-ro", "release-toolkit/next", "main")
    with pytest.raises(ReleaseError, match="pull-requests: write") as caught:
        site.upsert("chore(release): v1.0.0", "notes", [])
    assert READ_ONLY_TOKEN not in str(caught.value)
    assert github_api.pulls("acme", "pulls-ro") == []

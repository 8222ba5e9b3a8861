"""The loopback GitHub, driven by the real PyGithub."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from github import Auth, BadCredentialsException, Github, GithubException

from tests.services.github_api import READ_ONLY_TOKEN, GithubApi


def client(api: GithubApi, token: str | None = None) -> Github:
    return Github(
        base_url=api.url,
        auth=Auth.Token(token or api.token),
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


def test_a_release_from_draft_to_published_with_assets(
    github_api: GithubApi, tmp_path: Path
) -> None:
    github_api.add_repo("acme", "flow")
    repo = client(github_api).get_repo("acme/flow")
    assert repo.full_name == "acme/flow" and repo.permissions.push
    release = repo.create_git_release("v1.0.0", name="v1.0.0", message="notes", draft=True)
    with pytest.raises(GithubException) as hidden:
        repo.get_release("v1.0.0")  # drafts are not found by tag, as on GitHub
    assert hidden.value.status == 404
    archive = tmp_path / "tool-v1.0.0.tar.gz"
    archive.write_bytes(b"archive bytes" * 1000)
    asset = release.upload_asset(str(archive), content_type="application/gzip")
    assert asset.name == archive.name and asset.size == archive.stat().st_size
    assert asset.digest == "sha256:" + hashlib.sha256(archive.read_bytes()).hexdigest()
    release.upload_asset(str(archive), name="SHA256SUMS")
    assert sorted(a.name for a in release.get_assets()) == ["SHA256SUMS", archive.name]
    status, _, chunks = asset.download_asset(chunk_size=4096)  # type: ignore[misc]
    assert status == 200 and b"".join(chunks) == archive.read_bytes()
    with pytest.raises(GithubException) as taken:
        release.upload_asset(str(archive))
    assert taken.value.status == 422 and "already_exists" in str(taken.value.data)
    release.update_release(name="v1.0.0", message="notes", draft=False)
    published = repo.get_release("v1.0.0")
    assert not published.draft and published.body == "notes"
    assert github_api.release("acme", "flow", "v1.0.0").published_at  # type: ignore[union-attr]
    with pytest.raises(GithubException) as again:
        repo.create_git_release("v1.0.0", name="again", message="")
    assert again.value.status == 422 and "already_exists" in str(again.value.data)


def test_releases_are_paginated(github_api: GithubApi) -> None:
    github_api.add_repo("acme", "many")
    repo = client(github_api).get_repo("acme/many")
    for n in range(7):
        repo.create_git_release(f"v0.{n}.0", name=f"v0.{n}.0", message="", draft=n % 2 == 0)
    gh = Github(base_url=github_api.url, auth=Auth.Token(github_api.token), per_page=3)
    tags = [r.tag_name for r in gh.get_repo("acme/many").get_releases()]
    assert sorted(tags) == [f"v0.{n}.0" for n in range(7)]
    assert github_api.faults.count(r"/releases$") >= 3  # three pages


def test_tokens_and_permissions(github_api: GithubApi) -> None:
    with pytest.raises(BadCredentialsException):
        client(github_api, "ghp_wrong-token-value").get_repo("acme/demo")
    read_only = client(github_api, READ_ONLY_TOKEN).get_repo("acme/demo")
    assert read_only.permissions.push is False
    with pytest.raises(GithubException) as refused:
        read_only.create_git_release("v9.9.9", name="x", message="")
    assert refused.value.status == 403
    with pytest.raises(GithubException) as missing:
        client(github_api).get_repo("acme/nope")
    assert missing.value.status == 404
    assert client(github_api).get_user().login == "release-bot"


def test_faults_reach_the_client(github_api: GithubApi) -> None:
    github_api.faults.fail(r"/repos/acme/demo$", status=502, nth=1)
    try:
        with pytest.raises(GithubException) as failed:
            client(github_api).get_repo("acme/demo")
        assert failed.value.status == 502
        assert client(github_api).get_repo("acme/demo").name == "demo"
    finally:
        github_api.faults.clear()


def test_pull_requests(github_api: GithubApi) -> None:
    github_api.add_repo("acme", "homebrew-tap")
    repo = client(github_api).get_repo("acme/homebrew-tap")
    pull = repo.create_pull(base="main", head="release/tool-1.0.0", title="tool 1.0.0", body="")
    assert pull.number == 1 and pull.html_url.endswith("/pull/1")
    assert [p.head.ref for p in repo.get_pulls(state="open")] == ["release/tool-1.0.0"]
    with pytest.raises(GithubException) as twice:
        repo.create_pull(base="main", head="release/tool-1.0.0", title="again", body="")
    assert twice.value.status == 422

"""The loopback GitHub, driven by the real PyGithub."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import httpx
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
    github_api.add_repo("acme", "faulty")
    gh = client(github_api)
    github_api.faults.fail(r"/repos/acme/faulty$", status=500, nth=2)
    try:
        assert gh.get_repo("acme/faulty").name == "faulty"
        with pytest.raises(GithubException) as failed:
            gh.get_repo("acme/faulty")  # the 2nd request: 500, in GitHub's error shape
        assert failed.value.status == 500 and "injected fault" in failed.value.data["message"]
        assert gh.get_repo("acme/faulty").name == "faulty"
        # PyGithub's default retry (GithubRetry: 5xx retried at once) sees it and goes on.
        github_api.faults.fail(r"/repos/acme/faulty$", status=502, nth=1)
        patient = Github(
            base_url=github_api.url,
            auth=Auth.Token(github_api.token),
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        before = github_api.faults.count(r"/repos/acme/faulty$")
        assert patient.get_repo("acme/faulty").name == "faulty"
        assert github_api.faults.count(r"/repos/acme/faulty$") == before + 2
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
    assert [p.number for p in repo.get_pulls(state="open", head="acme:release/tool-1.0.0")] == [1]
    assert list(repo.get_pulls(state="open", head="acme:other")) == []
    assert repo.get_pull(1).title == "tool 1.0.0"


def test_assets_from_memory_renamed_and_deleted(github_api: GithubApi) -> None:
    github_api.add_repo("acme", "assets")
    repo = client(github_api).get_repo("acme/assets")
    release = repo.create_git_release("v2.0.0", name="v2.0.0", message="", draft=True)
    # PyGithub posts to the path of the `{?name,label}` template, on its own base_url.
    assert release.upload_url == (
        f"{github_api.url}/uploads/repos/acme/assets/releases/{release.id}/assets{{?name,label}}"
    )
    data = bytes(range(256)) * 64
    asset = release.upload_asset_from_memory(
        io.BytesIO(data), len(data), "tool.bin", content_type="application/x-tool", label="Tool"
    )
    assert (asset.size, asset.label) == (len(data), "Tool")
    assert asset.content_type == "application/x-tool"
    assert asset.digest == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert asset.state == "uploaded" and asset.uploader.login == "release-bot"
    assert github_api.asset_bytes(asset.id) == data
    again = repo.get_release(release.id)
    assert [a.name for a in again.assets] == ["tool.bin"] and again.draft
    release.upload_asset_from_memory(io.BytesIO(b"x"), 1, "other.bin")
    with pytest.raises(GithubException) as clash:
        asset.update_asset("other.bin")
    assert clash.value.status == 422
    assert asset.update_asset("tool-linux.bin", label="Linux").name == "tool-linux.bin"
    assert asset.delete_asset()
    assert [a.name for a in release.get_assets()] == ["other.bin"]
    with pytest.raises(KeyError):
        github_api.asset_bytes(asset.id)


def test_latest_by_id_and_delete(github_api: GithubApi) -> None:
    github_api.add_repo("acme", "latest")
    repo = client(github_api).get_repo("acme/latest")
    with pytest.raises(GithubException) as none:
        repo.get_latest_release()
    assert none.value.status == 404
    first = repo.create_git_release("v1.0.0", name="one", message="")
    repo.create_git_release("v1.1.0-rc.1", name="rc", message="", prerelease=True)
    repo.create_git_release("v1.1.0", name="draft", message="", draft=True)
    assert repo.get_latest_release().tag_name == "v1.0.0"
    assert repo.get_release(first.id).name == "one" and first.published_at is not None
    first.delete_release()
    assert [r.tag_name for r in github_api.releases("acme", "latest")] == ["v1.1.0-rc.1", "v1.1.0"]


def test_read_only_tokens_see_no_drafts(github_api: GithubApi) -> None:
    github_api.add_repo("acme", "drafts")
    repo = client(github_api).get_repo("acme/drafts")
    draft = repo.create_git_release("v3.0.0", name="v3.0.0", message="", draft=True)
    repo.create_git_release("v2.0.0", name="v2.0.0", message="")
    reader = client(github_api, READ_ONLY_TOKEN).get_repo("acme/drafts")
    assert [r.tag_name for r in reader.get_releases()] == ["v2.0.0"]
    with pytest.raises(GithubException) as hidden:
        reader.get_release(draft.id).tag_name  # noqa: B018 (lazy: the access fetches)
    assert hidden.value.status == 404


def test_the_wire(github_api: GithubApi) -> None:
    """What PyGithub hides: headers, Bearer tokens, error bodies, `Link`, asset bytes."""
    github_api.add_repo("acme", "wire")
    api = github_api.url
    auth = {"Authorization": f"Bearer {github_api.token}"}
    user = httpx.get(f"{api}/user", headers=auth)
    assert user.json()["login"] == "release-bot" and user.headers["x-oauth-scopes"] == "repo"
    assert int(user.headers["x-ratelimit-remaining"]) < int(user.headers["x-ratelimit-limit"])
    assert {"x-ratelimit-reset", "x-ratelimit-used"} <= set(user.headers)
    anonymous = httpx.get(f"{api}/repos/acme/wire")
    assert anonymous.status_code == 401 and anonymous.json()["message"] == "Bad credentials"
    missing = httpx.get(f"{api}/repos/acme/none", headers=auth)
    assert missing.status_code == 404 and missing.json()["message"] == "Not Found"
    releases = f"{api}/repos/acme/wire/releases"
    for n in range(3):
        created = httpx.post(releases, headers=auth, json={"tag_name": f"v{n}", "draft": True})
        assert created.status_code == 201 and created.json()["target_commitish"] == "main"
    again = httpx.post(releases, headers=auth, json={"tag_name": "v0"})
    assert again.status_code == 422 and again.json()["errors"] == [
        {"resource": "Release", "code": "already_exists", "field": "tag_name"}
    ]
    page = httpx.get(releases, headers=auth, params={"per_page": 2})
    assert [r["tag_name"] for r in page.json()] == ["v2", "v1"]
    assert f'<{releases}?per_page=2&page=2>; rel="next"' in page.headers["link"]
    assert 'rel="last"' in page.headers["link"]
    release = page.json()[0]
    upload = release["upload_url"].split("{")[0]
    sent = httpx.post(
        upload,
        params={"name": "a.txt"},
        headers={**auth, "Content-Type": "text/plain"},
        content=b"hello",
    )
    assert sent.status_code == 201, sent.text
    asset_url = sent.json()["url"]
    raw = httpx.get(asset_url, headers={**auth, "Accept": "application/octet-stream"})
    assert raw.content == b"hello"
    assert httpx.get(asset_url, headers=auth).json()["download_count"] == 1
    taken = httpx.post(upload, params={"name": "a.txt"}, headers=auth, content=b"again")
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["code"] == "already_exists"
    published = httpx.patch(f"{releases}/{release['id']}", headers=auth, json={"draft": False})
    assert published.json()["published_at"] and not published.json()["draft"]
    by_tag = httpx.get(f"{releases}/tags/v2", headers=auth).json()
    assert by_tag["assets"][0]["digest"] == f"sha256:{hashlib.sha256(b'hello').hexdigest()}"

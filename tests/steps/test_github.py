"""The GitHub release through PyGithub against the loopback GitHub: a draft with every
asset, published after the push; a re-run uploads only what is missing; an asset of the
same name with other content is an error, never replaced."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

import pytest

from release.base.errors import ReleaseError
from release.core.engine.artifacts import Artifact
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.github.step import GithubPublishStep, GithubReleaseStep, repository
from tests.services.github_api import READ_ONLY_TOKEN, GithubApi

from ..conftest import Repo

_names = itertools.count()
FILES = {
    "demo-v1.2.0-x86_64-unknown-linux-gnu.tar.gz": ("binary-archive", b"archive" * 500),
    "demo_py-1.2.0.tar.gz": ("sdist", b"sdist bytes"),
    "SHA256SUMS": ("checksums", b"sums\n"),
    "SHA256SUMS.asc": ("signature", b"-----BEGIN PGP SIGNATURE-----\n"),
}


@pytest.fixture
def released(
    repo: Repo, github_api: GithubApi, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[ReleaseContext, str]]:
    monkeypatch.setenv("GITHUB_TOKEN", github_api.token)

    def make(version: str = "1.2.0") -> tuple[ReleaseContext, str]:
        name = f"demo{next(_names)}"
        github_api.add_repo("acme", name)
        repo.write(
            "release.toml",
            f'[github]\nrepository = "acme/{name}"\napi_url = "{github_api.url}"\n'
            "write_interval = 0\n",
        )
        repo.write("CHANGELOG.md", "# Changelog\n")
        repo.commit("feat(cli): greet in French")
        repo.tag(f"v{version}")
        ctx = plan_tagged(repo.path)
        ctx.dist.mkdir(exist_ok=True)
        manifest = ctx.manifest()
        for filename, (kind, data) in FILES.items():
            (ctx.dist / filename).write_bytes(data)
            manifest.add(Artifact.of(ctx.dist, ctx.dist / filename, kind))
        return ctx, name

    return make


def test_draft_with_assets_then_published(
    released: Callable[..., tuple[ReleaseContext, str]], github_api: GithubApi
) -> None:
    ctx, name = released()
    draft, publish = GithubReleaseStep(), GithubPublishStep()
    assert draft.applies(ctx) and draft.check(ctx) == []
    assert not draft.done(ctx)
    draft.run(ctx)
    found = github_api.release("acme", name, "v1.2.0")
    assert found is not None and found.draft and not found.prerelease
    assert "Greet in French" in found.body  # this version's changelog section
    assert found.target_commitish == ctx.git.head()
    assert {a.name: a.data for a in found.assets} == {k: v for k, (_, v) in FILES.items()}
    assert draft.done(ctx) and not publish.done(ctx)
    publish.run(ctx)
    assert not found.draft and found.published_at
    assert publish.done(ctx)


def test_a_rerun_uploads_only_the_missing_assets(
    released: Callable[..., tuple[ReleaseContext, str]], github_api: GithubApi
) -> None:
    ctx, name = released()
    step = GithubReleaseStep()
    step.run(ctx)
    found = github_api.release("acme", name, "v1.2.0")
    assert found is not None
    found.assets = [a for a in found.assets if a.name != "SHA256SUMS"]  # an interrupted run
    uploads = github_api.faults.count(r"^/uploads/")
    assert not step.done(ctx)
    step.run(ctx)
    assert github_api.faults.count(r"^/uploads/") == uploads + 1
    assert sorted(a.name for a in found.assets) == sorted(FILES)


def test_an_asset_with_other_content_is_never_replaced(
    released: Callable[..., tuple[ReleaseContext, str]], github_api: GithubApi
) -> None:
    ctx, name = released()
    GithubReleaseStep().run(ctx)
    found = github_api.release("acme", name, "v1.2.0")
    assert found is not None
    sums = next(a for a in found.assets if a.name == "SHA256SUMS")
    sums.data = b"someone else's sums\n"
    with pytest.raises(ReleaseError, match="already has SHA256SUMS with other content"):
        GithubReleaseStep().run(ctx)
    assert sums.data == b"someone else's sums\n"


def test_a_prerelease_is_flagged(
    released: Callable[..., tuple[ReleaseContext, str]], github_api: GithubApi
) -> None:
    ctx, name = released("2.0.0-rc.1")
    GithubReleaseStep().run(ctx)
    GithubPublishStep().run(ctx)
    found = github_api.release("acme", name, "v2.0.0-rc.1")
    assert found is not None and found.prerelease and not found.draft


def test_transient_failures_are_retried(
    released: Callable[..., tuple[ReleaseContext, str]], github_api: GithubApi
) -> None:
    ctx, name = released()
    github_api.faults.fail(r"/releases$", method="GET", status=502, nth=1)
    github_api.faults.fail(r"^/uploads/", status=500, nth=2)  # the 2nd upload fails once
    try:
        GithubReleaseStep().run(ctx)
    finally:
        github_api.faults.clear()
    found = github_api.release("acme", name, "v1.2.0")
    assert found is not None and sorted(a.name for a in found.assets) == sorted(FILES)


def test_tokens_are_checked_before_anything(
    released: Callable[..., tuple[ReleaseContext, str]],
    github_api: GithubApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx, name = released()
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_revoked-token-of-the-test")
    [problem] = GithubReleaseStep().check(ctx)
    assert "GitHub refused" in problem.message and "(HTTP 401)" in problem.message
    assert "GITHUB_TOKEN" in (problem.hint or "")
    assert "ghp_revoked" not in problem.message
    monkeypatch.setenv("GITHUB_TOKEN", READ_ONLY_TOKEN)
    [problem] = GithubReleaseStep().check(ctx)
    assert problem.message == f"GITHUB_TOKEN may not write to acme/{name}"
    monkeypatch.delenv("GITHUB_TOKEN")
    [problem] = GithubReleaseStep().check(ctx)
    assert problem.message == "no GitHub token"
    assert github_api.releases("acme", name) == []


def test_the_repository_comes_from_the_remote(repo: Repo) -> None:
    repo.commit("feat: x")
    repo.tag("v1.0.0")
    for url, expected in [
        ("git@github.com:acme/tool.git", "acme/tool"),
        ("https://github.com/acme/tool", "acme/tool"),
        ("https://x-access-token:abc@github.com/acme/tool.git", "acme/tool"),
        ("ssh://git@github.com/acme/tool.git", "acme/tool"),
        ("https://gitlab.com/acme/tool.git", None),
        ("/srv/git/tool.git", None),
    ]:
        repo.git("remote", "remove", "origin") if "origin" in repo.git("remote") else None
        repo.git("remote", "add", "origin", url)
        assert repository(plan_tagged(repo.path)) == expected, url


def test_digest_matches_what_was_built(
    released: Callable[..., tuple[ReleaseContext, str]], github_api: GithubApi
) -> None:
    ctx, name = released()
    GithubReleaseStep().run(ctx)
    found = github_api.release("acme", name, "v1.2.0")
    assert found is not None
    for asset in found.assets:
        artifact = next(a for a in ctx.manifest().artifacts if a.path == asset.name)
        assert hashlib.sha256(asset.data).hexdigest() == artifact.sha256

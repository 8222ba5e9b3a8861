"""Independent versions: one GitHub release per package tag, titled with the tag, carrying
that package's artifacts alone and its own changelog section, against the loopback GitHub."""

from __future__ import annotations

import pytest

from release.core.engine.artifacts import Artifact
from release.core.engine.context import ReleaseContext
from release.steps.github.step import GithubPublishStep, GithubReleaseStep, download_url
from tests.services.github_api import GithubApi

from ..conftest import Repo
from .package_repo import contexts, independent

FILES = {
    "lens-core": {"lens-core-lens-core-v0.3.1.cargo.cdx.json": "sbom"},
    "lens-cli": {
        "lens-lens-cli-v1.0.1-x86_64-unknown-linux-gnu.tar.gz": "binary-archive",
        "lens-cli-lens-cli-v1.0.1.cargo.cdx.json": "sbom",
    },
    "lens-py": {"lens_py-0.5.1.tar.gz": "sdist"},
    "@acme/web": {},
}


@pytest.fixture
def ctxs(
    repo: Repo, github_api: GithubApi, monkeypatch: pytest.MonkeyPatch
) -> dict[str, ReleaseContext]:
    monkeypatch.setenv("GITHUB_TOKEN", github_api.token)
    github_api.add_repo("acme", "lens")
    independent(
        repo,
        f'[github]\nrepository = "acme/lens"\napi_url = "{github_api.url}"\nwrite_interval = 0\n',
    )
    found = contexts(repo)
    for name, files in FILES.items():
        ctx = found[name]
        ctx.dist.mkdir(parents=True)
        manifest = ctx.manifest()
        for filename, kind in files.items():
            (ctx.dist / filename).write_bytes(f"{name}: {filename}".encode())
            manifest.add(Artifact.of(ctx.dist, ctx.dist / filename, kind, name=name))
        (ctx.dist / "SHA256SUMS").write_text(f"sums of {name}\n")
        manifest.add(Artifact.of(ctx.dist, ctx.dist / "SHA256SUMS", "checksums"))
    return found


def test_one_release_per_package_tag_with_its_own_assets_and_changes(
    ctxs: dict[str, ReleaseContext], github_api: GithubApi
) -> None:
    draft, publish = GithubReleaseStep(), GithubPublishStep()
    for ctx in ctxs.values():
        assert draft.applies(ctx) and draft.check(ctx) == []
        assert (
            draft.describe(ctx)
            == f"draft the GitHub release {ctx.tag} on acme/lens and upload its assets"
        )
        draft.run(ctx)
        assert draft.done(ctx)
    releases = {r.tag_name: r for r in github_api.releases("acme", "lens")}
    assert sorted(releases) == sorted(c.tag for c in ctxs.values())
    for name, ctx in ctxs.items():
        found = releases[ctx.tag]
        assert found.name == ctx.tag and found.draft
        assert found.target_commitish == ctx.git.head()
        assert {a.name: a.data for a in found.assets} == {
            **{f: f"{name}: {f}".encode() for f in FILES[name]},
            "SHA256SUMS": f"sums of {name}\n".encode(),
        }
    # Each body is its package's changelog section: the commits that touched its folder.
    assert "A faster version()" in releases["lens-core-v0.3.1"].body
    assert "Needs lens-core" not in releases["lens-core-v0.3.1"].body
    assert "Needs lens-core" in releases["lens-cli-v1.0.1"].body
    assert "A typo" in releases["lens-py-v0.5.1"].body
    cli = ctxs["lens-cli"]
    assert download_url(cli, "x.tar.gz") == (
        "https://github.com/acme/lens/releases/download/lens-cli-v1.0.1/x.tar.gz"
    )
    publish.run(cli)
    assert not releases["lens-cli-v1.0.1"].draft and releases["lens-core-v0.3.1"].draft
    assert publish.done(cli) and not publish.done(ctxs["lens-core"])
    assert cli.landed.github is not None
    assert cli.landed.github.url == "https://github.com/acme/lens/releases/tag/lens-cli-v1.0.1"

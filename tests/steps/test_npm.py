"""The npm step against a real registry on loopback (Verdaccio): platform packages generated
from release archives, the main package, `npm install` + `npx` of it, other content refused,
dist-tags (faults and a re-run: tests/commands/test_publish_npm.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from release.base.errors import ReleaseError
from release.core.plan.planning import plan_tagged
from release.steps.npm.step import NpmStep
from tests.services.oidc import OidcIssuer, Trust
from tests.services.verdaccio import USER, FaultProxy, Verdaccio

from ..conftest import Repo
from .npm_fixture import HOST, build, npm_install, npx, project

OTHER = ("@other/tool-linux-x64-gnu", "@other/tool")
PLATFORMS = ("@acme/tool-darwin-arm64", "@acme/tool-linux-x64-gnu", "@acme/tool-win32-x64-msvc")


def test_publish_install_and_run(
    repo: Repo, verdaccio: Verdaccio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", verdaccio.token)
    project(repo, verdaccio.url, "@acme/tool")
    ctx = build(repo)
    step = NpmStep()
    assert step.applies(ctx) and step.check(ctx) == []
    assert not step.done(ctx)
    step.run(ctx)
    assert ctx.landed.npm is not None
    assert [p.label for p in ctx.landed.npm.places("1.2.3")] == [
        f"npm: @acme/tool@1.2.3 ({verdaccio.url})"
    ]
    order = [PLATFORMS[0], PLATFORMS[2], PLATFORMS[1], "@acme/tool"]  # by target triple
    assert ctx.landed.npm.items == [(n, "published") for n in order]
    for name in (*PLATFORMS, "@acme/tool"):
        assert verdaccio.versions(name) == ["1.2.3"], name
        assert verdaccio.packument(name)["dist-tags"] == {"latest": "1.2.3"}
    linux = verdaccio.packument("@acme/tool-linux-x64-gnu")["versions"]["1.2.3"]
    assert (linux["os"], linux["cpu"], linux["libc"]) == (["linux"], ["x64"], ["glibc"])
    main = verdaccio.packument("@acme/tool")["versions"]["1.2.3"]
    assert main["optionalDependencies"] == {name: "1.2.3" for name in PLATFORMS}
    assert step.done(ctx)

    scratch = tmp_path / "scratch"
    npm_install(scratch, verdaccio.url, "@acme/tool@1.2.3")
    installed = sorted(p.name for p in (scratch / "node_modules" / "@acme").iterdir())
    assert installed == ["tool", "tool-linux-x64-gnu"]  # only the host's platform package
    exe = scratch / "node_modules" / "@acme" / "tool-linux-x64-gnu" / "bin" / "tool"
    assert exe.stat().st_mode & 0o777 == 0o755
    assert (exe.parent.parent / "README.md").read_text().startswith("# @acme/tool")
    assert npx(scratch, verdaccio.url, "tool", "--version") == "tool 1.2.3"


def test_other_content_is_refused_before_anything_is_public(
    repo: Repo, verdaccio: Verdaccio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", verdaccio.token)
    project(repo, verdaccio.url, "@other/tool")
    first = build(repo, targets=HOST)
    NpmStep().run(first)
    # Before a build (a local cut's verify): the version is taken, whatever its content.
    shutil.rmtree(first.dist)
    taken = [p.message for p in NpmStep().check(plan_tagged(repo.path))]
    assert taken == [f"{name}@1.2.3 is already on the npm registry" for name in OTHER]
    # The same version built again differently: its platform package now differs.
    ctx = build(repo, said=" (rebuilt)", targets=HOST)
    problems = NpmStep().check(ctx)
    assert len(problems) == 1 and "already on the npm registry with other content" in (
        problems[0].message
    )
    assert verdaccio.token not in json.dumps([p.message for p in problems])


def test_an_older_line_never_moves_latest(
    repo: Repo, verdaccio: Verdaccio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", verdaccio.token)
    project(repo, verdaccio.url, "line-tool", version="2.0.0")
    NpmStep().run(build(repo, targets=HOST))
    repo.commit("fix: a backport", file="fix.txt")
    repo.tag("v1.4.1")
    NpmStep().run(build(repo, targets=HOST))
    tags = verdaccio.packument("line-tool")["dist-tags"]
    assert tags == {"latest": "2.0.0", "latest-1": "1.4.1"}  # a prerelease: test_npm_platform


def test_no_credentials_is_a_problem_of_preflight(
    repo: Repo, verdaccio: Verdaccio, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NPM_TOKEN", raising=False)
    monkeypatch.setenv("npm_config_userconfig", str(tmp_path / "empty-npmrc"))
    project(repo, verdaccio.url, "nobody-tool")
    problems = NpmStep().check(build(repo, targets=HOST))
    assert len(problems) == 1
    assert problems[0].message.startswith(f"npm whoami against {verdaccio.url}: ")
    assert "NPM_TOKEN" in (problems[0].hint or "")


def test_trusted_publishing_exchanges_the_workflow_identity(
    repo: Repo,
    verdaccio: Verdaccio,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """No NPM_TOKEN, an OIDC identity: npm itself trades the workflow's token for a publish
    token at the registry (served by the proxy: Verdaccio has no such endpoint)."""
    monkeypatch.delenv("NPM_TOKEN", raising=False)
    monkeypatch.setenv("npm_config_userconfig", str(tmp_path / "empty-npmrc"))
    for key, value in oidc_issuer.env().items():
        monkeypatch.setenv(key, value)
    trust = Trust(oidc_issuer.url, "npm:127.0.0.1", oidc_issuer.repository)
    with FaultProxy(verdaccio.url, trust, verdaccio.token) as proxy:
        project(repo, proxy.url, "trusted-tool", extra="provenance = false\n")
        ctx = build(repo, targets=HOST)
        step = NpmStep()
        assert "trusted publishing" in step.describe(ctx) and step.check(ctx) == []
        step.run(ctx)
        assert proxy.exchanged == ["trusted-tool-linux-x64-gnu", "trusted-tool"]
        assert verdaccio.versions("trusted-tool") == ["1.2.3"]
        # Another repository's workflow is refused: npm publishes with no token, and fails.
        proxy.trust = Trust(oidc_issuer.url, "npm:127.0.0.1", "someone/else")
        repo.commit("fix: again", file="again.txt")
        repo.tag("v1.2.4")
        with pytest.raises(ReleaseError, match="npm publish"):
            NpmStep().run(build(repo, targets=HOST))
        assert verdaccio.versions("trusted-tool") == ["1.2.3"]


def test_a_package_the_user_may_not_publish_is_a_problem_of_preflight(
    repo: Repo, verdaccio: Verdaccio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", verdaccio.token)
    with FaultProxy(verdaccio.url) as proxy:
        project(repo, proxy.url, "owned-tool")
        NpmStep().run(build(repo, targets=HOST))
        repo.commit("fix: next", file="next.txt")
        repo.tag("v1.2.4")
        ctx = build(repo, targets=HOST)
        # The registry lists who may write (npmjs does): the token's user is not among them.
        proxy.collaborators["owned-tool"] = {"someone-else": "read-write", USER: "read-only"}
        [problem] = NpmStep().check(ctx)
        assert problem.message.startswith(f"owned-tool exists on the npm registry and {USER}")
        proxy.collaborators["owned-tool"] = {"someone-else": "read-write", USER: "read-write"}
        assert NpmStep().check(ctx) == []

"""shape = "package-json": the project's own packages, each after those it depends on, with
their lifecycle scripts; `private` ones stay home. Against Verdaccio on loopback."""

from __future__ import annotations

import json

import pytest

from release.core.plan.planning import plan_tagged
from release.steps.npm.step import NpmStep
from tests.services.verdaccio import Verdaccio

from ..conftest import Repo
from .package_repo import contexts, independent


def _package(repo: Repo, folder: str, data: dict[str, object]) -> None:
    repo.write(f"{folder}/package.json", json.dumps(data, indent=2) + "\n")
    repo.write(f"{folder}/index.js", f"module.exports = {json.dumps(data['name'])};\n")


def test_own_packages_in_dependency_order(
    repo: Repo, verdaccio: Verdaccio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", verdaccio.token)
    # The app is listed first and needs the core: the core must go first.
    _package(
        repo,
        "packages/app",
        {
            "name": "@own/app",
            "version": "0.4.0",
            "dependencies": {"@own/core": "0.4.0"},
            "scripts": {"prepack": "node -e \"require('fs').writeFileSync('built.txt', 'x')\""},
        },
    )
    _package(repo, "packages/core", {"name": "@own/core", "version": "0.4.0"})
    _package(repo, "packages/site", {"name": "@own/site", "version": "0.4.0", "private": True})
    repo.write(
        "release.toml",
        f'[npm]\nshape = "package-json"\nregistry = "{verdaccio.url}"\n\n[manifests]\n'
        'npm = ["packages/app/package.json", "packages/core/package.json", '
        '"packages/site/package.json"]\n',
    )
    repo.commit("feat: packages", file="src.txt")
    repo.tag("v0.4.0")
    ctx = plan_tagged(repo.path)
    step = NpmStep()
    assert "publish @own/core, @own/app 0.4.0 to " in step.describe(ctx)
    assert step.check(ctx) == [] and not step.done(ctx)
    step.run(ctx)
    core, app = verdaccio.packument("@own/core"), verdaccio.packument("@own/app")
    assert core["time"]["0.4.0"] < app["time"]["0.4.0"]
    assert verdaccio.packument("@own/site") == {}
    assert "built.txt" in json.dumps(app) or (repo.path / "packages/app/built.txt").is_file()
    assert step.done(ctx)


def test_independent_versions_publish_the_npm_package_on_its_own_tag(
    repo: Repo, verdaccio: Verdaccio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", verdaccio.token)
    independent(repo, f'\n[npm]\nshape = "package-json"\nregistry = "{verdaccio.url}"\n')
    found = contexts(repo)
    step = NpmStep()
    applies = {name: bool(step.applies(ctx)) for name, ctx in found.items()}
    assert applies == {"lens-core": False, "lens-cli": False, "lens-py": False, "@acme/web": True}
    web = found["@acme/web"]
    assert step.check(web) == []
    step.run(web)
    assert verdaccio.versions("@acme/web") == ["1.0.1"]
    assert step.done(web)

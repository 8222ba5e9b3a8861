"""A cut whose npm publish fails on the third package, then `release resume`: Verdaccio on
loopback behind a proxy that refuses every PUT from the third on. The cut stops with two
packages public and says so; the resume publishes the rest, each package exactly once, and
pushes the tag; a second resume finds nothing to do. No cargo build: the project's own
package.json packages (`shape = "package-json"`)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.services.verdaccio import FaultProxy, Verdaccio

from ..conftest import Repo, git, run_release

# Published in dependency order: core first, then the two that need it (by name).
PACKAGES = ("@own/core", "@own/app", "@own/cli")


def _package(repo: Repo, folder: str, name: str, needs: str | None) -> None:
    data: dict[str, object] = {"name": name, "version": "0.4.0", "license": "MIT"}
    if needs:
        data["dependencies"] = {needs: "0.4.0"}
    repo.write(f"{folder}/package.json", json.dumps(data, indent=2) + "\n")
    repo.write(f"{folder}/index.js", f"module.exports = {json.dumps(name)};\n")


def _project(repo: Repo, tmp_path: Path, registry: str) -> Path:
    _package(repo, "packages/core", "@own/core", None)
    _package(repo, "packages/app", "@own/app", "@own/core")
    _package(repo, "packages/cli", "@own/cli", "@own/core")
    repo.write("LICENSE", "MIT License\n")
    repo.write(
        "release-toolkit.toml",
        f'[npm]\nshape = "package-json"\nregistry = "{registry}"\n\n[manifests]\n'
        'npm = ["packages/core/package.json", "packages/app/package.json", '
        '"packages/cli/package.json"]\n',
    )
    repo.commit("feat: the packages", file="src.txt")
    repo.tag("v0.4.0")
    remote = repo.add_remote(tmp_path)
    repo.commit("feat: a new option", file="option.txt")
    return remote


def test_a_failed_npm_publish_is_finished_by_resume_each_package_once(
    repo: Repo, verdaccio: Verdaccio, tmp_path: Path
) -> None:
    env = {"NPM_TOKEN": verdaccio.token}
    with FaultProxy(verdaccio.url) as proxy:
        remote = _project(repo, tmp_path, proxy.url)
        proxy.faults.fail(method="PUT", status=503, nth=3, times=None)  # down from then on
        cut = run_release(repo.path, "cut", "--yes", env=env)
        assert cut.code == 1, cut.out + cut.err
        assert "parts of v0.5.0 are public" in cut.err
        published = [n for n in PACKAGES if verdaccio.versions(n) == ["0.5.0"]]
        assert published[0] == "@own/core" and len(published) == 2
        assert "v0.5.0" not in git(remote, "tag", "-l")  # the tag goes out last
        status = run_release(repo.path, "status", env=env)
        assert "v0.5.0" in status.out and "left to do" in status.out, status.out

        proxy.faults.clear()
        resumed = run_release(repo.path, "resume", "--yes", env=env)
        assert resumed.code == 0, resumed.out + resumed.err
        for name in PACKAGES:
            assert verdaccio.versions(name) == ["0.5.0"]
        puts = [r.path for r in proxy.faults.requests if r.method == "PUT" and not r.faults]
        assert sorted(puts) == sorted(f"/{n.replace('/', '%2f')}" for n in PACKAGES)
        assert "v0.5.0" in git(remote, "tag", "-l")

        before = len(proxy.faults.requests)
        again = run_release(repo.path, "resume", "--yes", env=env)
        assert again.code == 2 and "no interrupted release" in again.err
        assert [r.method for r in proxy.faults.requests[before:]].count("PUT") == 0
        for result in (cut, status, resumed, again):
            assert verdaccio.token not in result.out + result.err

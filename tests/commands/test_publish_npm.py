"""`release publish` with the npm step, through the command line, against Verdaccio behind a
proxy that refuses the third package: the second run publishes the rest, each package once,
a third run publishes nothing, and the token never shows."""

from __future__ import annotations

from tests.services.verdaccio import FaultProxy, Verdaccio
from tests.steps.npm_fixture import build, project

from ..conftest import Repo, run_release

PACKAGES = ("cli-tool-darwin-arm64", "cli-tool-win32-x64-msvc", "cli-tool-linux-x64-gnu")


def test_publish_fails_on_the_third_package_and_a_rerun_finishes_it(
    repo: Repo, verdaccio: Verdaccio
) -> None:
    env = {"NPM_TOKEN": verdaccio.token}
    with FaultProxy(verdaccio.url) as proxy:
        project(repo, proxy.url, "cli-tool")
        build(repo)
        repo.write(".gitignore", "dist/\n")
        proxy.faults.fail(method="PUT", status=503, nth=3, times=None)  # down from then on
        first = run_release(repo.path, "publish", "--only", "npm", env=env)
        assert first.code == 1, first.err
        assert [n for n in PACKAGES if verdaccio.versions(n)] == list(PACKAGES[:2])
        proxy.faults.clear()
        second = run_release(repo.path, "publish", "--only", "npm", env=env)
        assert second.code == 0, second.err
        for name in (*PACKAGES, "cli-tool"):
            assert verdaccio.versions(name) == ["1.2.3"]
        puts = [r.path for r in proxy.faults.requests if r.method == "PUT" and not r.faults]
        assert sorted(puts) == sorted(f"/{n}" for n in (*PACKAGES, "cli-tool"))
        before = len(proxy.faults.requests)
        third = run_release(repo.path, "publish", "--only", "npm", env=env)
        assert third.code == 0, third.err
        assert [r.method for r in proxy.faults.requests[before:]].count("PUT") == 0
        for result in (first, second, third):
            assert verdaccio.token not in result.out + result.err

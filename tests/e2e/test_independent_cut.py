"""Independent versions cut for real: a Cargo workspace whose crates form a diamond, and a
Python package, each with its own tags, released to the loopback crate registry, pypiserver
and GitHub; one release of a leaf, of a shared dependency (its dependents follow), a given
version, and a kill in the middle of the publishing, then `release resume`."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services.crate_registry import CrateRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer

from ..conftest import git, run_release
from .test_split import github_outputs

CRATES = {  # name -> (version, {dependency: requirement})
    "lens-core": ("0.3.0", {}),
    "lens-left": ("1.2.0", {"lens-core": "0.3"}),
    "lens-right": ("1.0.0", {"lens-core": "0.3.0"}),
    "lens-app": ("2.0.0", {"lens-left": "1.2", "lens-right": "1"}),
}
_count = iter(range(1000))


def _crate(name: str, version: str, deps: dict[str, str]) -> str:
    lines = [
        f'[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'
        'license = "MIT"\ndescription = "a crate of the lens workspace"\n'
    ]
    if deps:
        lines.append("[dependencies]")
        lines += [f'{d} = {{ path = "../{d}", version = "{r}" }}' for d, r in deps.items()]
    return "\n".join(lines) + "\n"


@dataclass
class Workspace:
    path: Path
    remote: Path
    crates: CrateRegistry
    pypi: PypiServer
    github: GithubApi
    name: str  # the GitHub repository: acme/NAME
    py: str  # the Python package's name: the pypiserver is shared by the module's tests

    @property
    def wheel(self) -> str:
        return self.py.replace("-", "_")

    @property
    def env(self) -> dict[str, str]:
        return {
            **self.crates.env,
            "TWINE_USERNAME": "uploader",
            "TWINE_PASSWORD": "twine-password-of-the-e2e",
            "GITHUB_TOKEN": self.github.token,
        }

    def commit(self, message: str, file: str) -> None:
        target = self.path / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a") as handle:
            handle.write(f"// {message}\n")
        git(self.path, "add", "-A")
        git(self.path, "commit", "-qm", message)

    def publish(self, *crates: str) -> None:
        """Their last releases (tagged) onto this test's fresh registry, as crates.io has them."""
        registry = ["--registry", self.crates.name]
        for crate in crates:
            subprocess.run(
                ["cargo", "publish", "-q", "--no-verify", *registry, "-p", crate],
                cwd=self.path,
                env={**os.environ, **self.env},
                check=True,
            )

    def remote_tags(self) -> set[str]:
        out = git(self.path, "ls-remote", "--tags", str(self.remote))
        return {line.split("refs/tags/")[1] for line in out.splitlines() if "^{}" not in line}

    def release_tags(self) -> list[str]:
        return sorted(r.tag_name for r in self.github.releases("acme", self.name) if not r.draft)


@pytest.fixture
def workspace(
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    pypi_server: PypiServer,
    github_api: GithubApi,
) -> Workspace:
    return make_workspace(tmp_path, crate_registry_factory(), pypi_server, github_api)


def make_workspace(
    tmp_path: Path, crates: CrateRegistry, pypi_server: PypiServer, github_api: GithubApi
) -> Workspace:
    """The lens workspace in `tmp_path`, every package tagged, pushed to a bare remote
    (tests/e2e/fault_train.py makes one per sequence)."""
    path = tmp_path / "lens"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    (path / "Cargo.toml").write_text('[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    for name, (version, deps) in CRATES.items():
        folder = path / "crates" / name
        (folder / "src").mkdir(parents=True)
        (folder / "Cargo.toml").write_text(_crate(name, version, deps))
        (folder / "src" / "lib.rs").write_text("pub fn probe() {}\n")
    n = next(_count)
    name, py_name = f"lens{n}", f"lens-py{n}"
    py = path / "py"
    (py / "src" / "lens_py").mkdir(parents=True)
    (py / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
        f'\n[project]\nname = "{py_name}"\nversion = "0.5.0"\ndescription = "lens for Python"\n'
        'requires-python = ">=3.10"\n'
    )
    (py / "src" / "lens_py" / "__init__.py").write_text('__version__ = "0.5.0"\n')
    web = {"name": "@lens/web", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}
    (path / "web").mkdir()
    (path / "web" / "package.json").write_text(json.dumps(web, indent=2) + "\n")
    crates.cargo_config(path)
    github_api.add_repo("acme", name)
    (path / "release.toml").write_text(
        f"""[version]
mode = "independent"

[build]
sbom = false

[crates]
registry = "{crates.name}"

[pypi]
repository_url = "{pypi_server.url}"
index_url = "{pypi_server.simple_url}"

[github]
repository = "acme/{name}"
api_url = "{github_api.url}"
write_interval = 0
"""
    )
    (path / ".gitignore").write_text("target/\ndist/\n")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "chore: start")
    subprocess.run(["cargo", "generate-lockfile", "--offline"], cwd=path, check=True)
    git(path, "add", "-A")
    git(path, "commit", "-qm", "chore: lock")
    for crate, (version, _) in CRATES.items():
        git(path, "tag", "-a", "-m", crate, f"{crate}-v{version}")
    git(path, "tag", "-a", "-m", "py", f"{py_name}-v0.5.0")
    git(path, "tag", "-a", "-m", "web", "@lens/web-v1.0.0")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(path, "remote", "add", "origin", str(remote))
    git(path, "push", "-q", "origin", "main", "--tags")
    return Workspace(path, remote, crates, pypi_server, github_api, name, py_name)


def manifest(ws: Workspace, crate: str) -> str:
    return (ws.path / "crates" / crate / "Cargo.toml").read_text()


def test_a_shared_dependency_releases_its_dependents_in_order(workspace: Workspace) -> None:
    ws = workspace
    ws.commit("feat(core): a probe", "crates/lens-core/src/lib.rs")
    verified = run_release(ws.path, "verify", "--json", env=ws.env)
    assert verified.code == 0, verified.err
    plan = json.loads(verified.out)
    released = {p["name"]: p["version"] for p in plan["packages"] if p["version"]}
    assert released == {"lens-core": "0.4.0", "lens-left": "1.2.1", "lens-right": "1.0.1"}
    assert "lens-left/crates" in [s["name"] for s in plan["steps"]]

    before = ws.pypi.files()  # (the server is shared by the module's tests)
    cut = run_release(ws.path, "cut", "--yes", env=ws.env)
    assert cut.code == 0, cut.err
    # One release commit, one tag per package, all pushed.
    assert git(ws.path, "log", "-1", "--format=%s").strip() == (
        "chore(release): lens-core-v0.4.0, lens-left-v1.2.1, lens-right-v1.0.1"
    )
    assert {"lens-core-v0.4.0", "lens-left-v1.2.1", "lens-right-v1.0.1"} <= ws.remote_tags()
    # The dependents' requirements were moved to the new core; app's were left alone.
    assert 'lens-core = { path = "../lens-core", version = "0.4" }' in manifest(ws, "lens-left")
    assert 'version = "0.4.0" }' in manifest(ws, "lens-right")
    assert 'version = "2.0.0"' in manifest(ws, "lens-app")
    lock = (ws.path / "Cargo.lock").read_text()
    assert 'name = "lens-core"\nversion = "0.4.0"' in lock
    # Only the released crates, the dependency first, each once.
    published = ws.crates.log.versions()
    assert published[0] == ("lens-core", "0.4.0")
    assert sorted(published) == [
        ("lens-core", "0.4.0"),
        ("lens-left", "1.2.1"),
        ("lens-right", "1.0.1"),
    ]
    assert ws.pypi.files() == before  # the Python package had no change
    # One GitHub release per package tag.
    assert ws.release_tags() == ["lens-core-v0.4.0", "lens-left-v1.2.1", "lens-right-v1.0.1"]
    # Each released package's own changelog, beside its manifest, with its own commit only.
    core_log = (ws.path / "crates" / "lens-core" / "CHANGELOG.md").read_text()
    assert "## [lens-core-v0.4.0]" in core_log and "- **core:** A probe" in core_log
    assert not (ws.path / "crates" / "lens-app" / "CHANGELOG.md").exists()
    # Nothing left: the next plan is empty.
    again = run_release(ws.path, "next", env=ws.env)
    assert (again.code, again.out) == (0, "")


def test_one_package_with_its_version_leaves_the_others(workspace: Workspace) -> None:
    ws = workspace
    ws.commit("fix(app): a crash", "crates/lens-app/src/lib.rs")
    ws.commit("feat: a client option", "py/src/lens_py/extra.py")
    outputs = ws.path.parent / "github-output"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs)}
    cut = run_release(
        ws.path, "cut", "--package", ws.py, "0.6.0", "--yes", env={**ws.env, **actions}
    )
    assert cut.code == 0, cut.err
    told = github_outputs(outputs)  # for the jobs that follow the release in a workflow
    assert (told["released"], told["tags"]) == ("true", f"{ws.py}-v0.6.0")
    assert json.loads(told["packages"]) == {ws.py: {"version": "0.6.0", "tag": f"{ws.py}-v0.6.0"}}
    assert git(ws.path, "tag", "--points-at", "HEAD").split() == [f"{ws.py}-v0.6.0"]
    assert [f for f in ws.pypi.files() if f.startswith(ws.wheel + "-")] == [
        f"{ws.wheel}-0.6.0-py3-none-any.whl",
        f"{ws.wheel}-0.6.0.tar.gz",
    ]
    assert ws.crates.log.versions() == []
    init = (ws.path / "py" / "src" / "lens_py" / "__init__.py").read_text()
    assert init == '__version__ = "0.6.0"\n'
    # The app's fix is still to be released.
    assert run_release(ws.path, "next", env=ws.env).out == "lens-app 2.0.1\n"


# Before the release commit (resume puts the files back and cuts again); after the first
# package's crate is out but before its dependents'; after the push, before the announcements.
KILL_POINTS = ["before:commit-tag", "after:crate:lens-core", "after:push"]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_train_resumes_to_each_package_once(workspace: Workspace, point: str) -> None:
    ws = workspace
    ws.commit("feat(core): a probe", "crates/lens-core/src/lib.rs")
    ws.commit("fix: a typo", "py/src/lens_py/extra.py")
    ws.commit("feat(web): a dark theme", "web/src/theme.js")
    before = ws.pypi.files()
    env = {**ws.env, "RELEASE_TEST_KILL_AT": point}
    killed = run_release(ws.path, "cut", "--yes", env=env)
    assert killed.code == -9, killed.err
    status = json.loads(run_release(ws.path, "status", "--json").out)["releases"][-1]
    assert status["state"] == "interrupted"
    assert status["packages"]["lens-core"] == "lens-core-v0.4.0"
    resumed = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert resumed.code == 0, resumed.err
    assert sorted(ws.crates.log.versions()) == [
        ("lens-core", "0.4.0"),
        ("lens-left", "1.2.1"),
        ("lens-right", "1.0.1"),
    ]
    assert sorted(set(ws.pypi.files()) - set(before)) == [
        f"{ws.wheel}-0.5.1-py3-none-any.whl",
        f"{ws.wheel}-0.5.1.tar.gz",
    ]
    released = ["lens-core-v0.4.0", "lens-left-v1.2.1", "lens-right-v1.0.1", f"{ws.py}-v0.5.1"]
    released.append("@lens/web-v1.1.0")  # an npm package: tagged, bumped, on GitHub
    assert ws.release_tags() == sorted(released)
    assert all(not r.draft for r in ws.github.releases("acme", ws.name))
    final = json.loads(run_release(ws.path, "status", "--json").out)["releases"][-1]
    assert final["state"] == "done"
    assert {"lens-core-v0.4.0", f"{ws.py}-v0.5.1"} <= ws.remote_tags()
    assert sorted(git(ws.path, "tag", "--points-at", "HEAD").split()) == sorted(released)
    assert json.loads((ws.path / "web" / "package.json").read_text())["version"] == "1.1.0"
    again = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert again.code == 2 and "no interrupted release" in again.err


def test_verify_shows_every_package_then_the_steps(workspace: Workspace) -> None:
    ws = workspace
    ws.commit("fix(app): a crash", "crates/lens-app/src/lib.rs")
    ws.publish("lens-core", "lens-left", "lens-right")  # what the app needs, released before
    shown = run_release(ws.path, "verify", env={**ws.env, "COLUMNS": "200"})
    assert shown.code == 0, shown.err
    rows = {line.split("│")[1].strip(): line for line in shown.out.splitlines() if "│" in line}
    assert "2.0.1" in rows["lens-app"] and "patch: 1 commit(s) (fix)" in rows["lens-app"]
    assert "0.3.0" in rows["lens-core"] and "since lens-core-v0.3.0" in rows["lens-core"]
    assert "lens-app/crates" in rows and "lens-core/crates" not in rows
    # A version without a package, and a package in a lockstep sense, are refused.
    bare = run_release(ws.path, "cut", "2.1.0", "--yes", env=ws.env)
    assert bare.code == 2 and "--package NAME 2.1.0" in bare.err
    unknown = run_release(ws.path, "cut", "--package", "nope", "--yes", env=ws.env)
    assert unknown.code == 2 and "no package 'nope'" in unknown.err
    quiet = run_release(ws.path, "cut", "--package", "lens-core", "--yes", env=ws.env)
    assert quiet.code == 2 and "nothing in lens-core calls for a release" in quiet.err
    assert git(ws.path, "status", "--porcelain") == ""


def test_one_combined_github_release_when_configured(workspace: Workspace) -> None:
    ws = workspace
    config = ws.path / "release.toml"
    config.write_text(
        config.read_text().replace("write_interval = 0\n", "write_interval = 0\ncombined = true\n")
    )
    git(ws.path, "commit", "-qam", "chore: one GitHub release per cut")
    ws.commit("fix(core): a leak", "crates/lens-core/src/lib.rs")
    ws.commit("fix: a typo", "py/src/lens_py/extra.py")
    cut = run_release(ws.path, "cut", "--yes", env=ws.env)
    assert cut.code == 0, cut.err
    [release] = ws.github.releases("acme", ws.name)
    assert (release.tag_name, release.draft) == ("lens-core-v0.3.1", False)
    assert release.name == f"lens-core-v0.3.1, {ws.py}-v0.5.1"
    assert "lens-core-v0.3.1" in release.body and f"{ws.py}-v0.5.1" in release.body
    # The crates have no files of their own here: the Python package's are all there is.
    assert sorted(a.name for a in release.assets) == [
        "SHA256SUMS",
        f"{ws.wheel}-0.5.1-py3-none-any.whl",
        f"{ws.wheel}-0.5.1.tar.gz",
    ]


def test_a_group_is_released_together_through_a_prerelease(workspace: Workspace) -> None:
    # The application crate and the Python package that ships it share one version.
    ws = workspace
    config = ws.path / "release.toml"
    grouped = (
        f'[version]\nmode = "independent"\ngroups = [{{ packages = ["lens-app", "{ws.py}"] }}]\n'
    )
    config.write_text(config.read_text().replace('[version]\nmode = "independent"\n', grouped))
    git(ws.path, "commit", "-qam", "chore: ship the app with the Python package")
    ws.commit("fix(app): a crash", "crates/lens-app/src/lib.rs")
    # The app needs left and right, tagged but not on this (fresh) registry: the checks say
    # so before anything is published, and nothing changes.
    head = git(ws.path, "rev-parse", "HEAD")
    refused = run_release(ws.path, "cut", "--pre", "rc", "--yes", env=ws.env)
    assert refused.code == 2, refused.err
    assert "lens-app requires lens-left 1.2, which is not on the registry" in refused.err
    assert git(ws.path, "rev-parse", "HEAD") == head and ws.crates.log.versions() == []
    ws.publish("lens-core", "lens-left", "lens-right")
    rc = run_release(ws.path, "cut", "--pre", "rc", "--yes", env=ws.env)
    assert rc.code == 0, rc.err
    assert sorted(git(ws.path, "tag", "--points-at", "HEAD").split()) == [
        "lens-app-v2.0.1-rc.1",
        f"{ws.py}-v2.0.1-rc.1",
    ]
    assert ws.crates.log.versions()[3:] == [("lens-app", "2.0.1-rc.1")]
    pyproject = (ws.path / "py" / "pyproject.toml").read_text()
    assert 'version = "2.0.1rc1"' in pyproject
    assert f"{ws.wheel}-2.0.1rc1.tar.gz" in ws.pypi.files()
    releases = {r.tag_name: r.prerelease for r in ws.github.releases("acme", ws.name)}
    assert releases == {"lens-app-v2.0.1-rc.1": True, f"{ws.py}-v2.0.1-rc.1": True}
    # The final release of the group: both again, from their last final tags.
    final = run_release(ws.path, "cut", "--yes", env=ws.env)
    assert final.code == 0, final.err
    assert sorted(git(ws.path, "tag", "--points-at", "HEAD").split()) == [
        "lens-app-v2.0.1",
        f"{ws.py}-v2.0.1",
    ]
    app_log = (ws.path / "crates" / "lens-app" / "CHANGELOG.md").read_text()
    assert app_log.index("## [lens-app-v2.0.1]") < app_log.index("## [lens-app-v2.0.1-rc.1]")

"""Crates with `publish = false` and `"private": true` npm packages are not released: they are
no version of the project (no "manifests disagree ... says 0.0.0"), they name nothing, and
their own version stays; their requirements on released packages are kept valid. A package's
devDependency on itself keeps the published version."""

from __future__ import annotations

import json
from pathlib import Path

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.manifests import CargoWorkspace, manifests_for
from release.core.project.npm import PackageJson
from release.core.project.package_bump import package_bumped
from release.core.project.packages import discover
from release.core.project.unpublished import unpublished, versioned
from release.core.settings.config import Config
from tests.conftest import Repo, run_release


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def xtask_workspace(root: Path, *, xtask_version: str = "0.0.0") -> None:
    """Shaped like a CLI workspace: released crates at 0.44.1, an xtask helper at 0.0.0 that
    requires a released crate, a test helper the CLI dev-depends on."""
    write(root, "Cargo.toml", '[workspace]\nmembers = ["crates/*", "xtask"]\nresolver = "2"\n')
    write(
        root,
        "crates/tool/Cargo.toml",
        '[package]\nname = "tool"\nversion = "0.44.1"\n\n[dependencies]\n'
        'tool-core = { path = "../tool-core", version = "0.44.1" }\n\n[dev-dependencies]\n'
        'helper = { path = "../helper", version = "0.0.0" }\n',
    )
    write(root, "crates/tool/src/main.rs", "fn main() {}\n")
    write(
        root, "crates/tool-core/Cargo.toml", '[package]\nname = "tool-core"\nversion = "0.44.1"\n'
    )
    write(
        root,
        "crates/helper/Cargo.toml",
        '[package]\nname = "helper"\nversion = "0.0.0"\npublish = []\n',
    )
    write(
        root,
        "xtask/Cargo.toml",
        f'[package]\nname = "xtask"\nversion = "{xtask_version}"\npublish = false\n\n'
        '[dependencies]\ntool-core = { path = "../crates/tool-core", version = "0.44.1" }\n',
    )
    write(root, "xtask/src/main.rs", "fn main() {}\n")
    lock = "".join(
        f'[[package]]\nname = "{n}"\nversion = "{v}"\n\n'
        for n, v in [("helper", "0.0.0"), ("tool", "0.44.1"), ("tool-core", "0.44.1")]
    )
    write(
        root,
        "Cargo.lock",
        f'version = 3\n\n{lock}[[package]]\nname = "xtask"\nversion = "{xtask_version}"\n',
    )


def test_unpublished_crates_are_no_version_of_the_project(tmp_path: Path) -> None:
    xtask_workspace(tmp_path)
    workspace = CargoWorkspace(tmp_path / "Cargo.toml")
    assert unpublished(workspace) == {"helper", "xtask"}
    assert {s.version for s in workspace.current()} == {"0.44.1"}  # nothing disagrees
    texts = {
        p.relative_to(tmp_path).as_posix(): t
        for p, t in workspace.bumped(Version.parse("0.45.0")).items()
    }
    assert 'version = "0.0.0"\npublish = false' in texts["xtask/Cargo.toml"]  # its own: kept
    assert (
        'tool-core = { path = "../crates/tool-core", version = "0.45.0" }'
        in texts["xtask/Cargo.toml"]
    )
    assert 'helper = { path = "../helper", version = "0.0.0" }' in texts["crates/tool/Cargo.toml"]
    assert 'name = "xtask"\nversion = "0.0.0"' in texts["Cargo.lock"]
    assert 'name = "tool"\nversion = "0.45.0"' in texts["Cargo.lock"]


def test_an_unpublished_crate_in_step_follows_the_release(tmp_path: Path) -> None:
    xtask_workspace(tmp_path, xtask_version="0.44.1")
    workspace = CargoWorkspace(tmp_path / "Cargo.toml")
    texts = workspace.bumped(Version.parse("0.45.0"))
    assert 'version = "0.45.0"\npublish = false' in texts[tmp_path / "xtask/Cargo.toml"]
    assert "helper" not in versioned(workspace)  # 0.0.0: not in step


def test_a_workspace_of_unpublished_crates_is_versioned_whole(tmp_path: Path) -> None:
    """A binary released on GitHub only, never on crates.io: its version is still the project's."""
    write(
        tmp_path,
        "Cargo.toml",
        '[workspace]\nmembers = ["a"]\n\n[workspace.package]\npublish = false\n',
    )
    write(
        tmp_path,
        "a/Cargo.toml",
        '[package]\nname = "a"\nversion = "1.2.0"\npublish.workspace = true\n',
    )
    workspace = CargoWorkspace(tmp_path / "Cargo.toml")
    assert unpublished(workspace) == {"a"}
    assert [s.version for s in workspace.current()] == ["1.2.0"]


def test_independent_bump_keeps_an_unpublished_crates_requirement_valid(tmp_path: Path) -> None:
    xtask_workspace(tmp_path)
    layout = detect(tmp_path, Config())
    packages = discover(tmp_path, Config(), layout)
    assert sorted(p.name for p in packages) == ["tool", "tool-core"]
    [core] = [p for p in packages if p.name == "tool-core"]
    texts = package_bumped(
        core, Version.parse("0.45.0"), packages, cargo_root=layout.cargo, version_files=[]
    )
    xtask = texts[tmp_path / "xtask/Cargo.toml"]
    assert 'version = "0.0.0"' in xtask and 'version = "0.45.0" }' in xtask


def npm_repo(root: Path) -> None:
    write(
        root,
        "package.json",
        json.dumps(
            {
                "name": "@scope/pkg",
                "version": "0.44.1",
                "devDependencies": {"@scope/pkg": "0.44.1", "@scope/pkg-linux": "0.44.1"},
            },
            indent=2,
        )
        + "\n",
    )
    lock = {
        "name": "@scope/pkg",
        "version": "0.44.1",
        "lockfileVersion": 3,
        "packages": {
            "": {
                "name": "@scope/pkg",
                "version": "0.44.1",
                "devDependencies": {"@scope/pkg": "0.44.1"},
            },
            "node_modules/@scope/pkg": {"version": "0.44.1"},  # the published one, installed
        },
    }
    write(root, "package-lock.json", json.dumps(lock, indent=2) + "\n")
    write(
        root,
        "platform/package.json",
        json.dumps({"name": "@scope/pkg-linux", "version": "0.44.1"}) + "\n",
    )
    write(
        root,
        "website/package.json",
        json.dumps({"name": "site", "private": True, "dependencies": {"@scope/pkg": "0.44.1"}})
        + "\n",
    )


def test_a_devdependency_on_the_package_itself_is_not_bumped(tmp_path: Path) -> None:
    npm_repo(tmp_path)
    found = [
        m
        for m in manifests_for(tmp_path, Config(), detect(tmp_path, Config()))
        if isinstance(m, PackageJson)
    ]
    texts = {}
    for manifest in found:
        texts.update(manifest.bumped(Version.parse("0.45.0")))
    root = json.loads(texts[tmp_path / "package.json"])
    assert root["version"] == "0.45.0"
    assert root["devDependencies"] == {"@scope/pkg": "0.44.1", "@scope/pkg-linux": "0.45.0"}
    lock = json.loads(texts[tmp_path / "package-lock.json"])
    assert lock["version"] == lock["packages"][""]["version"] == "0.45.0"
    assert lock["packages"][""]["devDependencies"] == {"@scope/pkg": "0.44.1"}
    assert lock["packages"]["node_modules/@scope/pkg"] == {"version": "0.44.1"}


def test_independent_npm_bump_keeps_private_pins_valid(tmp_path: Path) -> None:
    npm_repo(tmp_path)
    packages = discover(tmp_path, Config(), detect(tmp_path, Config()))
    assert sorted(p.name for p in packages) == ["@scope/pkg", "@scope/pkg-linux"]  # not the site
    [pkg] = [p for p in packages if p.name == "@scope/pkg"]
    texts = package_bumped(
        pkg, Version.parse("0.45.0"), packages, cargo_root=None, version_files=[]
    )
    own = json.loads(texts[tmp_path / "package.json"])
    assert own["version"] == "0.45.0" and own["devDependencies"]["@scope/pkg"] == "0.44.1"
    assert (
        json.loads(texts[tmp_path / "website/package.json"])["dependencies"]["@scope/pkg"]
        == "0.45.0"
    )


def test_verify_and_init_leave_the_xtask_out(repo: Repo, tmp_path: Path) -> None:
    xtask_workspace(repo.path)
    manifest = repo.path / "crates/tool/Cargo.toml"  # a longer name than xtask's, as most are
    manifest.write_text(manifest.read_text().replace('name = "tool"', 'name = "toolkit-cli"'))
    repo.write("LICENSE", "MIT\n")
    repo.commit("chore: release 0.44.1")
    repo.tag("v0.44.1")
    repo.commit("feat: a flag", file="crates/tool/src/main.rs")
    repo.add_remote(tmp_path)
    nxt = run_release(repo.path, "next")  # one version: the xtask does not make it independent
    assert (nxt.code, nxt.out) == (0, "0.45.0\n"), nxt.err
    verify = run_release(repo.path, "verify", "--only", "bump")
    assert verify.code == 0, verify.err
    assert "disagree" not in verify.err and "0.45.0" in verify.out + verify.err
    init = run_release(repo.path, "init", "--print")
    assert init.code == 0, init.err
    assert "name 'toolkit-cli' (from Cargo.toml)" in init.out + init.err


def test_a_python_package_marked_private_is_no_package(tmp_path: Path) -> None:
    write(tmp_path, "lib/pyproject.toml", '[project]\nname = "lib"\nversion = "1.4.0"\n')
    write(
        tmp_path,
        "bench/pyproject.toml",
        '[project]\nname = "bench"\nversion = "0.0.0"\n'
        'classifiers = ["Private :: Do Not Upload"]\n',
    )
    layout = detect(tmp_path, Config())
    assert layout.python == [tmp_path / "lib/pyproject.toml"]  # lockstep: not a version either
    assert [p.name for p in discover(tmp_path, Config(), layout)] == ["lib"]

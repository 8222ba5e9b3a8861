"""One package's bump in independent mode: its version, the siblings' requirements that leave
the new version out (and only those), and its lock entry, with every other byte kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.package_bump import package_bumped
from release.core.project.packages import discover
from release.core.settings.config import Config


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def bump(root: Path, name: str, version: str) -> dict[str, str]:
    layout = detect(root, Config())
    packages = discover(root, Config(), layout)
    [package] = [p for p in packages if p.name == name]
    texts = package_bumped(
        package,
        Version.parse(version),
        packages,
        cargo_root=layout.cargo,
        version_files=[
            p for p in layout.version_files if p.is_relative_to(package.manifest.parent)
        ],
    )
    return {str(path.relative_to(root)): text for path, text in texts.items()}


@pytest.fixture
def cargo(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "Cargo.toml",
        '[workspace]\nmembers = ["crates/*"]\n\n[workspace.dependencies]\n'
        'core = { path = "crates/core", version = "0.3" }  # shared\n',
    )
    write(tmp_path, "crates/core/Cargo.toml", '[package]\nname = "core"\nversion = "0.3.0"\n')
    write(
        tmp_path,
        "crates/cli/Cargo.toml",
        '[package]\nname = "cli"\nversion = "1.0.0"\n\n[dependencies]\n'
        "core = { workspace = true }\n"
        'log = "0.4"\n\n[dev-dependencies]\ncore = { path = "../core", version = "0.3.0" }\n',
    )
    write(
        tmp_path,
        "crates/web/Cargo.toml",
        '[package]\nname = "web"\nversion = "2.0.0"\n\n'
        '[dependencies]\ncore = { path = "../core", version = ">=0.3, <2" }\n',
    )
    write(
        tmp_path,
        "Cargo.lock",
        'version = 3\n\n[[package]]\nname = "core"\nversion = "0.3.0"\n\n'
        '[[package]]\nname = "log"\nversion = "0.3.0"\nsource = "registry+https://x"\n',
    )
    return tmp_path


def test_a_crate_moves_the_requirements_that_leave_it_out(cargo: Path) -> None:
    texts = bump(cargo, "core", "0.4.0")
    assert texts["crates/core/Cargo.toml"] == '[package]\nname = "core"\nversion = "0.4.0"\n'
    # The workspace's shared requirement and cli's dev-dependency leave 0.4.0 out; web's
    # range admits it and its file is not rewritten.
    assert 'version = "0.4" }  # shared' in texts["Cargo.toml"]
    assert 'core = { path = "../core", version = "0.4.0" }' in texts["crates/cli/Cargo.toml"]
    assert "crates/web/Cargo.toml" not in texts
    # The lock: the member's entry, not a registry crate of the same version.
    lock = texts["Cargo.lock"]
    assert 'name = "core"\nversion = "0.4.0"' in lock and 'name = "log"\nversion = "0.3.0"' in lock


def test_the_registrys_older_major_is_no_sibling_requirement(cargo: Path) -> None:
    """tauri-cli's `tauri-utils-v1 = { version = "1", package = "tauri-utils" }`: the crate
    of crates.io, not the workspace's; a release of the workspace's leaves it as it is."""
    web = cargo / "crates/web/Cargo.toml"
    web.write_text(web.read_text() + 'core-v0 = { version = "0.2", package = "core" }\n')
    texts = bump(cargo, "core", "0.3.1")
    assert "crates/web/Cargo.toml" not in texts
    # and web requires the workspace's core alone: a release of core leaving `0.2` out
    # does not release web
    [web] = [p for p in discover(cargo, Config(), detect(cargo, Config())) if p.name == "web"]
    assert web.requires == {"core": ">=0.3, <2"}


def test_a_patch_inside_every_range_touches_only_its_own_files(cargo: Path) -> None:
    assert sorted(bump(cargo, "core", "0.3.1")) == ["Cargo.lock", "crates/core/Cargo.toml"]


def test_a_crate_inheriting_the_workspace_version_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path,
        "Cargo.toml",
        '[workspace]\nmembers = ["a"]\n[workspace.package]\nversion = "1.0.0"\n',
    )
    write(tmp_path, "a/Cargo.toml", '[package]\nname = "a"\nversion.workspace = true\n')
    layout = detect(tmp_path, Config())
    [package] = discover(tmp_path, Config(), layout)
    with pytest.raises(ConfigError, match="inherits the workspace's") as caught:
        package_bumped(
            package, Version(1, 1, 0), [package], cargo_root=layout.cargo, version_files=[]
        )
    assert caught.value.hint is not None and "version.groups" in caught.value.hint


def test_python_packages_and_their_requirements(tmp_path: Path) -> None:
    write(tmp_path, "core/pyproject.toml", '[project]\nname = "Lens_Core"\nversion = "0.3.0"\n')
    write(tmp_path, "core/src/lens_core/__init__.py", "__version__ = '0.3.0'\n")
    write(
        tmp_path,
        "app/pyproject.toml",
        '[project]\nname = "lens-app"\nversion = "1.0.0"\ndependencies = [\n'
        '    "lens-core[fast]>=0.3,<0.4; python_version >= \'3.10\'",\n    "httpx>=0.27",\n]\n',
    )
    texts = bump(tmp_path, "lens-core", "0.4.0-rc.1")
    assert 'version = "0.4.0rc1"' in texts["core/pyproject.toml"]
    assert texts["core/src/lens_core/__init__.py"] == "__version__ = '0.4.0rc1'\n"
    app = texts["app/pyproject.toml"]
    # The range is rewritten around the new version, extras and marker kept.
    assert '"lens-core[fast]>=0.4.0rc1,<0.5; python_version >= \\"3.10\\""' in app, app
    assert '"httpx>=0.27"' in app


def test_npm_packages_keep_their_operator_and_formatting(tmp_path: Path) -> None:
    core = {"name": "@acme/core", "version": "0.3.0"}
    web = {
        "name": "@acme/web",
        "version": "1.0.0",
        "dependencies": {"@acme/core": "^0.3.0", "left-pad": "^1.0.0"},
        "peerDependencies": {"@acme/core": "workspace:*"},
    }
    write(tmp_path, "core/package.json", json.dumps(core, indent=4) + "\n")
    write(tmp_path, "web/package.json", json.dumps(web, indent=2) + "\n")
    texts = bump(tmp_path, "@acme/core", "0.4.0")
    assert texts["core/package.json"] == json.dumps({**core, "version": "0.4.0"}, indent=4) + "\n"
    expected = {**web, "dependencies": {"@acme/core": "^0.4.0", "left-pad": "^1.0.0"}}
    assert texts["web/package.json"] == json.dumps(expected, indent=2) + "\n"


def test_packages_only_name_themselves(tmp_path: Path) -> None:
    # A package that is not a sibling's dependency touches nothing but its own manifest.
    write(tmp_path, "a/package.json", json.dumps({"name": "a", "version": "1.0.0"}) + "\n")
    write(tmp_path, "b/package.json", json.dumps({"name": "b", "version": "1.0.0"}) + "\n")
    assert list(bump(tmp_path, "a", "2.0.0")) == ["a/package.json"]

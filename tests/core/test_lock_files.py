"""Lock files that follow the manifests: an npm workspace's root package-lock.json and a
uv.lock, bumped with the packages they lock, never anything else in them."""

from __future__ import annotations

import json
from pathlib import Path

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.manifests import manifests_for
from release.core.settings.config import Config, ManifestsConfig

LOCK = {
    "name": "monorepo",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "monorepo", "workspaces": ["packages/*"]},
        "node_modules/left-pad": {"version": "10.0.1"},  # a dependency at the same version
        "packages/lerna": {"version": "10.0.1", "license": "MIT"},
    },
}


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def _bump(root: Path, npm: list[str], python: list[str] | None = None) -> dict[Path, str]:
    cfg = Config(manifests=ManifestsConfig(npm=npm, python=python or [], cargo=""))
    texts: dict[Path, str] = {}
    for manifest in manifests_for(root, cfg, detect(root, cfg)):
        texts.update(manifest.bumped(Version.parse("10.1.0")))
    return texts


def test_a_workspace_members_entry_in_the_root_lock(tmp_path: Path) -> None:
    _write(tmp_path / "package.json", {"name": "monorepo", "private": True})
    _write(tmp_path / "packages/lerna/package.json", {"name": "lerna", "version": "10.0.1"})
    _write(tmp_path / "package-lock.json", LOCK)
    texts = _bump(tmp_path, ["packages/lerna/package.json"])
    lock = json.loads(texts[tmp_path / "package-lock.json"])
    assert lock["packages"]["packages/lerna"] == {"version": "10.1.0", "license": "MIT"}
    assert lock["packages"]["node_modules/left-pad"] == {"version": "10.0.1"}
    assert lock["packages"][""] == LOCK["packages"][""]  # type: ignore[index]


def test_the_root_package_and_its_members_edit_the_lock_once(tmp_path: Path) -> None:
    _write(tmp_path / "package.json", {"name": "monorepo", "version": "10.0.1"})
    _write(tmp_path / "packages/lerna/package.json", {"name": "lerna", "version": "10.0.1"})
    data = json.loads(json.dumps(LOCK))
    data["version"] = data["packages"][""]["version"] = "10.0.1"
    _write(tmp_path / "package-lock.json", data)
    texts = _bump(tmp_path, ["package.json", "packages/lerna/package.json"])
    lock = json.loads(texts[tmp_path / "package-lock.json"])
    assert lock["version"] == lock["packages"][""]["version"] == "10.1.0"
    assert lock["packages"]["packages/lerna"]["version"] == "10.1.0"


def test_a_lock_outside_the_repository_is_never_touched(tmp_path: Path) -> None:
    _write(tmp_path / "package-lock.json", LOCK)  # above the repository's root
    root = tmp_path / "repo"
    _write(root / "packages/lerna/package.json", {"name": "lerna", "version": "10.0.1"})
    assert set(_bump(root, ["packages/lerna/package.json"])) == {
        root / "packages/lerna/package.json"
    }


def test_a_uv_lock_follows_its_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "My_Tool"\nversion = "10.0.1"\n')
    lock = 'version = 1\n\n[[package]]\nname = "my-tool"\nversion = "10.0.1"\n'
    (tmp_path / "uv.lock").write_text(lock + 'source = { virtual = "." }\n')
    texts = _bump(tmp_path, [], ["pyproject.toml"])
    assert 'name = "my-tool"\nversion = "10.1.0"\nsource = { virtual' in texts[tmp_path / "uv.lock"]

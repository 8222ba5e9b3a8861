"""package.json versions: found where they carry the project's version, bumped byte for byte
(only the version strings change), pinned sibling packages included."""

from __future__ import annotations

import json
from pathlib import Path

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.manifests import Pyproject, manifests_for
from release.core.project.npm import PackageJson, string_spans
from release.core.settings.config import Config
from tests.adoption import NPM_WRAPPER, git_cliff_like, js_monorepo
from tests.conftest import Repo


def changed(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_spans_follow_nesting_escapes_and_arrays() -> None:
    text = '{"a": "x\\"y", "b": {"version": "1.0.0", "l": ["p", {"version": "2"}]}, "version": "3"}'
    spans = {key: text[s:e] for key, (s, e) in string_spans(text).items()}
    assert spans == {
        ("a",): '"x\\"y"',
        ("b", "version"): '"1.0.0"',
        ("b", "l", 0): '"p"',
        ("b", "l", 1, "version"): '"2"',
        ("version",): '"3"',
    }


def test_the_wrapper_and_its_pinned_siblings_are_bumped_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text(NPM_WRAPPER)
    package = PackageJson(path)
    sites = package.current()
    assert [(s.line, s.label) for s in sites] == [
        (3, "version"),
        (18, "optionalDependencies cliffy-darwin-arm64"),
        (19, "optionalDependencies cliffy-linux-x64"),
        (20, "optionalDependencies cliffy-windows-x64"),
    ]
    after = package.bumped(Version.parse("2.14.0-rc.1"))[path]
    assert changed(NPM_WRAPPER, after) == [
        ('  "version": "2.13.1",\n', '  "version": "2.14.0-rc.1",\n'),
        ('    "cliffy-darwin-arm64": "2.13.1",\n', '    "cliffy-darwin-arm64": "2.14.0-rc.1",\n'),
        ('    "cliffy-linux-x64": "2.13.1",\n', '    "cliffy-linux-x64": "2.14.0-rc.1",\n'),
        ('    "cliffy-windows-x64": "2.13.1"\n', '    "cliffy-windows-x64": "2.14.0-rc.1"\n'),
    ]
    # left-pad happens to be pinned to the same number, but it is not a sibling: it stays.
    assert json.loads(after)["dependencies"] == {"execa": "^9.6.0", "left-pad": "2.13.1"}
    assert "⛰️" in after and after.endswith("}\n")


def test_a_package_lock_beside_it_is_bumped_too(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{\n\t"name": "@acme/x",\n\t"version": "1.0.0"\n}')
    lock = tmp_path / "package-lock.json"
    lock.write_text(
        '{\n  "name": "@acme/x",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n'
        '  "packages": {\n    "": {"name": "@acme/x", "version": "1.0.0"},\n'
        '    "node_modules/y": {"version": "1.0.0"}\n  }\n}\n'
    )
    out = PackageJson(tmp_path / "package.json").bumped(Version.parse("1.1.0"))
    assert out[tmp_path / "package.json"] == '{\n\t"name": "@acme/x",\n\t"version": "1.1.0"\n}'
    data = json.loads(out[lock])
    assert data["version"] == data["packages"][""]["version"] == "1.1.0"
    assert data["packages"]["node_modules/y"]["version"] == "1.0.0"  # a dependency's


def _sites(root: Path) -> list[tuple[str, str]]:
    cfg = Config()
    found = manifests_for(root, cfg, detect(root, cfg))
    return [(s.where(root).split(":")[0], s.version) for m in found for s in m.current()]


def test_next_to_a_cargo_workspace_the_wrappers_at_its_version(repo: Repo, tmp_path: Path) -> None:
    git_cliff_like(repo, tmp_path)
    files = {where for where, _ in _sites(repo.path)}
    assert "npm/cliffy/package.json" in files
    assert "website/package.json" not in files  # 0.0.0: a package that is never published
    assert {version for _, version in _sites(repo.path)} == {"2.13.1"}
    # The maturin package in pypi/ is found; its version is Cargo's, so it has nothing to bump.
    pypi = repo.path / "pypi" / "pyproject.toml"
    assert detect(repo.path, Config()).python == [pypi]
    assert Pyproject(pypi).current() == [] and Pyproject(pypi).bumped(Version(3, 0, 0)) == {}


def test_in_a_javascript_monorepo_the_root_version_decides(repo: Repo, tmp_path: Path) -> None:
    js_monorepo(repo, tmp_path)
    repo.write("docs/package.json", '{"name": "docs", "version": "1.0.0"}\n')
    assert sorted(_sites(repo.path)) == [
        ("package.json", "3.5.41"),
        ("packages/shared/package.json", "3.5.41"),
        ("packages/vue/package.json", "3.5.41"),
    ]


def test_scoped_packages_in_their_scope_folder_are_found(tmp_path: Path) -> None:
    """biome: packages/@biomejs/biome/package.json, three folders down."""
    from release.core.project.npm import package_jsons

    scoped = tmp_path / "packages" / "@biomejs" / "biome" / "package.json"
    scoped.parent.mkdir(parents=True)
    scoped.write_text('{"name": "@biomejs/biome", "version": "2.5.10"}\n')
    deep = tmp_path / "a" / "b" / "c" / "package.json"  # not a scope: still too deep
    deep.parent.mkdir(parents=True)
    deep.write_text('{"name": "c", "version": "1.0.0"}\n')
    assert package_jsons(tmp_path) == [scoped]

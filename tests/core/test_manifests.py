from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.manifests import (
    CargoWorkspace,
    InitVersion,
    PatternFile,
    Pyproject,
    bump_requirement,
    manifests_for,
    python_version,
)
from release.core.settings.config import Config, ExtraFile, ManifestsConfig

ROOT_TOML = """# The workspace
[workspace]
members = ["crates/*"]
resolver = "2"

[workspace.package]
version = '1.1.0'   # bumped by release-toolkit
edition = "2021"

[workspace.dependencies]
core = { path = "crates/core", version = "1.1.0" }  # a member
serde-like = "1.1.0"  # not a member: stays
"""
CORE = """[package]
name = "core"
version.workspace = true
edition.workspace = true
"""
PROTO = """[package]
name = "proto"
version = "1.1.0"  # explicit
edition = "2021"

[dependencies]
core = { workspace = true }
"""
CLI = """[package]
name = "cli"
version = "1.1.0"
edition = "2021"

[dependencies]
proto = { path = "../proto", version = "=1.1.0" }
core.workspace = true

[dev-dependencies.helper]
path = "../helper"

[target.'cfg(unix)'.dependencies]
proto = { path = "../proto", version = "1.1" }
"""
HELPER = """[package]
name = "helper"
version = "1.1.0"
edition = "2021"
publish = false
"""


def cargo_env() -> dict[str, str]:
    return dict(os.environ)  # conftest puts cargo on PATH


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "crates").mkdir(parents=True)
    (root / "Cargo.toml").write_text(ROOT_TOML)
    for name, text in {"core": CORE, "proto": PROTO, "cli": CLI, "helper": HELPER}.items():
        crate = root / "crates" / name
        (crate / "src").mkdir(parents=True)
        (crate / "Cargo.toml").write_text(text)
        (crate / "src" / "lib.rs").write_text("pub fn f() {}\n")
    cargo = shutil.which("cargo", path=cargo_env()["PATH"])
    assert cargo, "cargo must be installed (see ./scripts/test)"
    subprocess.run([cargo, "generate-lockfile", "--offline"], cwd=root, check=True, env=cargo_env())
    return root


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """Pairs of (old line, new line) that differ; the files must have the same line count."""
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_cargo_workspace_only_version_strings_change(workspace: Path) -> None:
    cargo = CargoWorkspace(workspace / "Cargo.toml")
    assert sorted(cargo.members) == ["cli", "core", "helper", "proto"]
    versions = {
        (s.path.name if s.label.startswith("[") else s.label, s.version) for s in cargo.current()
    }
    assert ("Cargo.toml", "1.1.0") in versions and ("crate proto", "1.1.0") in versions
    before = {p: p.read_text() for p in workspace.rglob("Cargo.*")}
    texts = cargo.bumped(Version.parse("1.2.0"))

    root = changed_lines(before[workspace / "Cargo.toml"], texts[workspace / "Cargo.toml"])
    assert root == [
        (
            "version = '1.1.0'   # bumped by release-toolkit",
            "version = '1.2.0'   # bumped by release-toolkit",
        ),
        (
            'core = { path = "crates/core", version = "1.1.0" }  # a member',
            'core = { path = "crates/core", version = "1.2.0" }  # a member',
        ),
    ]
    cli = workspace / "crates" / "cli" / "Cargo.toml"
    assert changed_lines(before[cli], texts[cli]) == [
        ('version = "1.1.0"', 'version = "1.2.0"'),
        (
            'proto = { path = "../proto", version = "=1.1.0" }',
            'proto = { path = "../proto", version = "=1.2.0" }',
        ),
        (
            'proto = { path = "../proto", version = "1.1" }',
            'proto = { path = "../proto", version = "1.2" }',
        ),
    ]
    core = workspace / "crates" / "core" / "Cargo.toml"
    assert texts[core] == before[core]  # inherits the workspace version
    lock = workspace / "Cargo.lock"
    diff = changed_lines(before[lock], texts[lock])
    assert diff == [('version = "1.1.0"', 'version = "1.2.0"')] * 4


def test_cargo_accepts_the_bumped_workspace(workspace: Path) -> None:
    texts = CargoWorkspace(workspace / "Cargo.toml").bumped(Version.parse("2.0.0-rc.1"))
    for path, text in texts.items():
        path.write_text(text)
    cargo = shutil.which("cargo", path=cargo_env()["PATH"])
    assert cargo
    # --locked: the lock file we wrote must be exactly what cargo would write.
    subprocess.run(
        [cargo, "metadata", "--locked", "--offline", "--format-version", "1"],
        cwd=workspace,
        check=True,
        env=cargo_env(),
        capture_output=True,
    )


@pytest.mark.parametrize(
    ("req", "new", "expected"),
    [
        ("1.1.0", "1.2.0", "1.2.0"),
        ("=1.1.0", "1.2.0", "=1.2.0"),
        ("^1.1", "1.2.0", "^1.2"),
        ("~1.1.0", "2.0.0", "~2.0.0"),
        ("1", "2.0.0", "2"),
        ("1.1", "1.2.0-rc.1", "1.2.0-rc.1"),
        (">=1.0, <2", "1.2.0", None),
        ("*", "1.2.0", None),
    ],
)
def test_requirements(req: str, new: str, expected: str | None) -> None:
    assert bump_requirement(req, Version.parse(new)) == expected


def test_pyproject_and_init(tmp_path: Path) -> None:
    pyproject = tmp_path / "py" / "pyproject.toml"
    pyproject.parent.mkdir()
    original = (
        '[project]\nname = "x"\nversion = "1.1.0"  # keep me\n\n[tool.other]\nversion = "9"\n'
    )
    pyproject.write_text(original)
    init = tmp_path / "py" / "src" / "x" / "__init__.py"
    init.parent.mkdir(parents=True)
    init.write_text("'''Doc.'''\n__version__ = '1.1.0'\nVERSION_NOTE = \"1.1.0\"\n")
    new = Version.parse("1.2.0-rc.1")
    out = Pyproject(pyproject).bumped(new)[pyproject]
    assert out == original.replace('"1.1.0"', '"1.2.0rc1"', 1)
    assert (
        InitVersion(init).bumped(new)[init]
        == "'''Doc.'''\n__version__ = '1.2.0rc1'\nVERSION_NOTE = \"1.1.0\"\n"
    )
    assert [s.line for s in InitVersion(init).current()] == [2]
    assert Pyproject(pyproject).current()[0].line == 3


def test_extra_file_with_a_template(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text('project = "x"\nrelease = "1.1.0"\nother = "1.1.0"\n')
    extra = PatternFile(conf, 'release = "{version}"')
    assert [(s.line, s.version) for s in extra.current()] == [(2, "1.1.0")]
    assert (
        extra.bumped(Version.parse("1.2.0"))[conf]
        == 'project = "x"\nrelease = "1.2.0"\nother = "1.1.0"\n'
    )


def test_python_spelling() -> None:
    assert python_version("1.2.0-rc.1") == "1.2.0rc1"
    assert python_version("1.2.0-beta.2") == "1.2.0b2"


def test_detection_of_a_python_package_in_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "python" / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "python" / "pyproject.toml").write_text(
        '[project]\nname = "pkg"\nversion = "0.3.0"\n'
    )
    (tmp_path / "python" / "src" / "pkg" / "__init__.py").write_text('__version__ = "0.3.0"\n')
    (tmp_path / "formulas").mkdir()
    (tmp_path / "formulas" / "pkg.rb").write_text("class Pkg < Formula\nend\n")
    (tmp_path / "docs.txt").write_text("v = 0.3.0\n")
    cfg = Config(manifests=ManifestsConfig(extra=[ExtraFile("docs.txt", "v = {version}")]))
    layout = detect(tmp_path, cfg)
    assert layout.python == [tmp_path / "python" / "pyproject.toml"]
    assert layout.version_files == [tmp_path / "python" / "src" / "pkg" / "__init__.py"]
    assert layout.formulas == [tmp_path / "formulas" / "pkg.rb"]
    found = [s.version for m in manifests_for(tmp_path, cfg, layout) for s in m.current()]
    assert found == ["0.3.0"] * 3


def test_unified_diff_shows_only_versions(workspace: Path) -> None:
    """The byte-level check the issue asks for: every changed line differs only in a version."""
    texts = CargoWorkspace(workspace / "Cargo.toml").bumped(Version.parse("1.2.0"))
    for path, text in texts.items():
        before = path.read_text()
        for line in difflib.ndiff(before.splitlines(), text.splitlines()):
            if line.startswith(("- ", "+ ")):
                assert "1.1" in line or "1.2" in line, line

"""A crate and the PyPI package of the same name that ships its binary (built by maturin) are
one package: one version, one tag, the version written in both manifests; `release next` and
`release init` work. Two unrelated packages sharing a name still stop, saying why."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.package_bump import package_bumped
from release.core.project.packages import discover
from release.core.settings.config import Config
from tests.conftest import Repo, run_release

MATURIN = '[build-system]\nrequires = ["maturin>=1.0"]\nbuild-backend = "maturin"\n\n'


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def maturin_workspace(root: Path, *, backend: str = MATURIN, py_version: str = "0.13.30") -> None:
    """An independent workspace: the `tool` crate, its wheel `tool` (maturin, bindings =
    "bin"), and a library crate on its own version."""
    write(root, "Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    write(
        root,
        "crates/tool/Cargo.toml",
        '[package]\nname = "tool"\nversion = "0.13.30"\n\n[dependencies]\n'
        'tool-lib = { path = "../tool-lib", version = "0.2" }\n',
    )
    write(root, "crates/tool/src/main.rs", "fn main() {}\n")
    write(  # at the root, as uv's and ruff's are
        root,
        "pyproject.toml",
        f'{backend}[project]\nname = "tool"\nversion = "{py_version}"\n\n'
        '[tool.maturin]\nbindings = "bin"\n',
    )
    write(root, "crates/tool-lib/Cargo.toml", '[package]\nname = "tool-lib"\nversion = "0.2.0"\n')


def test_the_wheel_of_a_crate_is_the_crates_package(tmp_path: Path) -> None:
    maturin_workspace(tmp_path)
    layout = detect(tmp_path, Config())
    packages = discover(tmp_path, Config(), layout)
    assert [(p.name, p.kind) for p in packages] == [("tool", "crate"), ("tool-lib", "crate")]
    [tool] = [p for p in packages if p.name == "tool"]
    assert tool.companions == (tmp_path / "pyproject.toml",)
    texts = package_bumped(
        tool, Version.parse("0.14.0"), packages, cargo_root=layout.cargo, version_files=[]
    )
    assert 'version = "0.14.0"' in texts[tmp_path / "crates/tool/Cargo.toml"]
    assert 'version = "0.14.0"' in texts[tmp_path / "pyproject.toml"]


def test_the_same_version_joins_them_without_maturin(tmp_path: Path) -> None:
    maturin_workspace(tmp_path, backend="")
    packages = discover(tmp_path, Config(), detect(tmp_path, Config()))
    assert [p.name for p in packages] == ["tool", "tool-lib"]


def test_unrelated_packages_sharing_a_name_get_qualified_names(tmp_path: Path) -> None:
    """Different versions: different products (tests/core/test_package_names.py)."""
    maturin_workspace(tmp_path, backend="", py_version="2.0.0")
    packages = discover(tmp_path, Config(), detect(tmp_path, Config()))
    assert [p.name for p in packages] == ["cargo/tool", "tool-lib", "pypi/tool"]


def test_two_python_packages_of_one_name_stop_with_a_reason(tmp_path: Path) -> None:
    maturin_workspace(tmp_path, backend="", py_version="2.0.0")
    write(tmp_path, "other/pyproject.toml", '[project]\nname = "tool"\nversion = "3.0.0"\n')
    config = Config()
    config.manifests.python = ["pyproject.toml", "other/pyproject.toml"]
    with pytest.raises(ConfigError) as err:
        discover(tmp_path, config, detect(tmp_path, config))
    assert "two python packages are named 'tool'" in err.value.message
    assert "other/pyproject.toml" in err.value.message


def test_next_and_init_on_a_maturin_workspace(repo: Repo, tmp_path: Path) -> None:
    maturin_workspace(repo.path)
    repo.write("LICENSE-MIT", "MIT\n")
    repo.commit("chore: release")
    repo.tag("tool-v0.13.30")
    repo.tag("tool-lib-v0.2.0")
    repo.commit("feat: a flag", file="crates/tool/src/main.rs")
    repo.add_remote(tmp_path)
    nxt = run_release(repo.path, "next")
    assert nxt.code == 0, nxt.err
    assert "tool" in nxt.out and "0.14.0" in nxt.out
    init = run_release(repo.path, "init", "--print")
    assert init.code == 0, init.err
    assert "share the name" not in init.err

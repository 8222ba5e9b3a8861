"""Packages of two ecosystems that share a name but not a version (polars' crate and PyPI
package, a crate and an npm package) are distinct packages named by their registry:
`cargo/tool`, `pypi/tool`, `npm/tool`. Their manifests, registries and requirements keep the
plain name."""

from __future__ import annotations

from pathlib import Path

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.package import unqualified
from release.core.project.package_bump import package_bumped
from release.core.project.package_names import collisions
from release.core.project.packages import discover
from release.core.settings.config import Config


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def polars_shaped(root: Path) -> None:
    """The crate `tool` at 0.45.0 (a library crate requiring it) and the PyPI package `tool`
    at 1.20.0, built by setuptools: two products."""
    write(root, "Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    write(root, "crates/tool/Cargo.toml", '[package]\nname = "tool"\nversion = "0.45.0"\n')
    write(
        root,
        "crates/tool-sql/Cargo.toml",
        '[package]\nname = "tool-sql"\nversion = "0.45.0"\n\n[dependencies]\n'
        'tool = { path = "../tool", version = "0.45" }\n',
    )
    write(root, "py/pyproject.toml", '[project]\nname = "tool"\nversion = "1.20.0"\n')


def test_a_crate_and_a_pypi_package_of_one_name_are_two_packages(tmp_path: Path) -> None:
    polars_shaped(tmp_path)
    layout = detect(tmp_path, Config())
    packages = discover(tmp_path, Config(), layout)
    by_name = {p.name: p for p in packages}
    assert list(by_name) == ["cargo/tool", "tool-sql", "pypi/tool"]
    assert by_name["cargo/tool"].manifest_name == by_name["pypi/tool"].manifest_name == "tool"
    assert str(by_name["pypi/tool"].version) == "1.20.0"
    # the library crate requires the crate, not the Python package
    assert by_name["tool-sql"].requires == {"cargo/tool": "0.45"}
    texts = package_bumped(
        by_name["cargo/tool"],
        Version.parse("0.46.0"),
        packages,
        cargo_root=layout.cargo,
        version_files=[],
    )
    assert 'version = "0.46.0"' in texts[tmp_path / "crates/tool/Cargo.toml"]
    assert 'version = "0.46"' in texts[tmp_path / "crates/tool-sql/Cargo.toml"]
    assert tmp_path / "py/pyproject.toml" not in texts
    (line,) = collisions(packages)
    assert "cargo/tool 0.45.0" in line and "pypi/tool 1.20.0" in line
    assert "[[version.groups]]" in line


def test_a_crate_and_an_npm_package_of_one_name_are_two_packages(tmp_path: Path) -> None:
    write(tmp_path, "Cargo.toml", '[package]\nname = "cli"\nversion = "2.0.4"\n')
    write(tmp_path, "js/package.json", '{"name": "cli", "version": "1.6.3"}\n')
    config = Config()
    config.manifests.npm = ["js/package.json"]
    packages = discover(tmp_path, config, detect(tmp_path, config))
    assert [(p.name, p.kind, str(p.version)) for p in packages] == [
        ("cargo/cli", "crate", "2.0.4"),
        ("npm/cli", "npm", "1.6.3"),
    ]


def test_an_npm_scope_reads_back() -> None:
    assert unqualified("npm/@scope/cli") == "@scope/cli"
    assert unqualified("@scope/cli") == "@scope/cli"
    assert unqualified("pypi/tool") == "tool"

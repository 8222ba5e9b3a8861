"""Manifests in TOML 1.1, as Cargo reads them (biome's: an inline table over several lines)."""

from __future__ import annotations

from pathlib import Path

from release.base._toml import load

CRATE = """[package]
name = "biome_cli"
version = "2.3.1"

[dependencies]
tokio = {
  workspace = true,
  features  = ["io-std", "macros"],
}
"""


def test_a_toml_1_1_inline_table_over_several_lines(tmp_path: Path) -> None:
    path = tmp_path / "Cargo.toml"
    path.write_text(CRATE)
    data = load(path, hint="fix it")
    assert data["dependencies"]["tokio"] == {"workspace": True, "features": ["io-std", "macros"]}

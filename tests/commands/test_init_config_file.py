"""`release init` beside a cargo-release workspace: cargo-release's release.toml stays as it is,
ours is written to release-toolkit.toml with what maps of theirs, and the commands run."""

from __future__ import annotations

from pathlib import Path

from release.base._toml import tomllib
from tests.conftest import Repo, run_release
from tests.core.test_config_files import CARGO_RELEASE_TOML


def cargo_release_workspace(repo: Repo, tmp: Path) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    repo.write(
        "crates/tool/Cargo.toml", '[package]\nname = "tool"\nversion = "0.44.1"\nedition = "2021"\n'
    )
    repo.write("crates/tool/src/main.rs", "fn main() {}\n")
    repo.write("release.toml", CARGO_RELEASE_TOML)
    repo.write("LICENSE-MIT", "MIT\n")
    repo.write("README.md", "# tool\n")
    repo.commit("chore: Release tool version 0.44.1")
    repo.tag("v0.44.1")
    repo.commit("feat: a flag", file="crates/tool/src/main.rs")
    repo.add_remote(tmp)


def test_init_writes_our_file_beside_cargo_releases(repo: Repo, tmp_path: Path) -> None:
    cargo_release_workspace(repo, tmp_path)
    theirs = (repo.path / "release.toml").read_text()
    before = run_release(repo.path, "next")
    assert before.code == 0 and before.out.strip() == "0.45.0", before.err
    assert "release.toml is cargo-release's config" in before.err  # said, not an error

    result = run_release(repo.path, "init")
    assert result.code == 0, result.err
    assert (repo.path / "release.toml").read_text() == theirs
    ours = tomllib.loads((repo.path / "release-toolkit.toml").read_text())
    assert ours["git"]["branch"] == ["main", "release/*"]  # allow-branch, minus "!HEAD"
    assert ours["version"]["tag_format"] == "v{version}"
    assert "cargo-release" in result.out + result.err

    again = run_release(repo.path, "init")  # ours now exists: never overwritten
    assert again.code == 2 and "release-toolkit.toml already exists" in again.err
    after = run_release(repo.path, "next")
    assert after.code == 0 and after.out.strip() == "0.45.0", after.err

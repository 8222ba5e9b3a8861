"""The npm packages generated from release archives, as folders, before any npm runs; and
the `[npm]` section's bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.base.errors import ConfigError, ReleaseError
from release.core.settings import config
from release.steps.npm.packages import generated_packages

from ..conftest import Repo
from .npm_fixture import build, project


def _json(folder: Path) -> dict[str, object]:
    return dict(json.loads((folder / "package.json").read_text()))


def test_one_package_per_target_then_the_main_package(repo: Repo, tmp_path: Path) -> None:
    project(repo, "http://127.0.0.1:9/", "@acme/tool")
    packages = generated_packages(build(repo), tmp_path / "npm")
    names = [p.name for p in packages]
    assert names == [
        "@acme/tool-darwin-arm64",
        "@acme/tool-win32-x64-msvc",
        "@acme/tool-linux-x64-gnu",
        "@acme/tool",
    ]
    darwin, windows, linux, main = (p.folder for p in packages)
    assert (_json(linux)["os"], _json(linux)["cpu"], _json(linux)["libc"]) == (
        ["linux"],
        ["x64"],
        ["glibc"],
    )
    assert "libc" not in _json(darwin) and _json(windows)["os"] == ["win32"]
    assert (linux / "bin" / "tool").stat().st_mode & 0o777 == 0o755
    assert (linux / "bin" / "tool").read_text().startswith("#!/bin/sh")
    assert (windows / "bin" / "tool.exe").is_file()
    assert (linux / "README.md").read_text() == (repo.path / "README.md").read_text()
    assert (main / "LICENSE").read_text() == "MIT License\n"
    meta = _json(main)
    assert meta["bin"] == {"tool": "bin/tool.js"}
    assert meta["optionalDependencies"] == {name: "1.2.3" for name in names[:3]}
    launcher = (main / "bin" / "tool.js").read_text()
    assert '"package": "@acme/tool-linux-x64-gnu"' in launcher and "__PLATFORMS__" not in launcher


def test_the_project_s_own_launcher(repo: Repo, tmp_path: Path) -> None:
    repo.write("npm/run.js", "#!/usr/bin/env node\nconsole.log('mine');\n")
    project(repo, "http://127.0.0.1:9/", "tool", extra='launcher = "npm/run.js"\n')
    main = generated_packages(build(repo), tmp_path / "npm")[-1].folder
    assert (main / "bin" / "tool.js").read_text() == (repo.path / "npm/run.js").read_text()


def test_a_missing_launcher_says_which(repo: Repo, tmp_path: Path) -> None:
    project(repo, "http://127.0.0.1:9/", "tool", extra='launcher = "npm/gone.js"\n')
    with pytest.raises(ReleaseError, match=r"npm/gone\.js"):
        generated_packages(build(repo), tmp_path / "npm")


def test_a_bad_package_name_points_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text('[npm]\nshape = "binaries"\nname = "Tool Name"\n')
    with pytest.raises(ConfigError) as caught:
        config.load(tmp_path)
    assert "not an npm package name" in caught.value.message
    assert caught.value.where is not None and caught.value.where.endswith("release.toml:3")

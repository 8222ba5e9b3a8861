"""Wheels and sdists built in isolation by pypa/build and checked by twine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from release.base.errors import ReleaseError
from release.core.plan.planning import plan_tagged
from release.steps.artifacts.wheels import WheelsStep

from ..conftest import Repo

PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny-pkg"
version = "0.3.0"
description = "A tiny package"
readme = {{text = "{readme}", content-type = "text/x-rst"}}
"""


def make(repo: Repo, readme: str) -> None:
    repo.write("pyproject.toml", PYPROJECT.format(readme=readme))
    repo.write(
        "src/tiny_pkg/__init__.py", '__version__ = "0.3.0"\n\ndef hi() -> str:\n    return "hi"\n'
    )
    repo.write(".gitignore", "dist/\n")
    repo.commit("feat: tiny")
    repo.tag("v0.3.0")


def test_wheel_and_sdist_install_and_leave_no_leftovers(repo: Repo, tmp_path: Path) -> None:
    make(repo, "Tiny package.")
    ctx = plan_tagged(repo.path)
    step = WheelsStep()
    assert step.applies(ctx) and [p for p in step.check(ctx) if p.severity == "error"] == []
    step.run(ctx)
    names = sorted(p.name for p in ctx.dist.iterdir())
    assert names == ["tiny_pkg-0.3.0-py3-none-any.whl", "tiny_pkg-0.3.0.tar.gz"]
    assert sorted(a.kind for a in ctx.manifest().artifacts) == ["sdist", "wheel"]
    assert repo.status() == ""  # no build/ or *.egg-info beside the sources
    assert step.done(ctx)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(ctx.dist / names[0])],
        check=True,
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import tiny_pkg; print(tiny_pkg.hi())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "hi\n"


def test_a_failing_twine_check_registers_nothing(repo: Repo) -> None:
    make(repo, "Broken `rst <.")
    ctx = plan_tagged(repo.path)
    with pytest.raises(ReleaseError, match="twine check failed") as err:
        WheelsStep().run(ctx)
    assert err.value.hint and "README" in err.value.hint
    assert ctx.manifest().artifacts == []
    assert not ctx.dist.exists() or list(ctx.dist.iterdir()) == []


MATURIN = """[build-system]
requires = ["maturin>=1.0,<2.0"]
build-backend = "maturin"

[project]
name = "tiny-bin"
version = "0.3.0"
description = "A binary shipped as a wheel"

[tool.maturin]
bindings = "bin"
"""
CARGO = """[package]
name = "tiny-bin"
version = "0.3.0"
edition = "2021"
description = "A binary shipped as a wheel"
license = "MIT"
"""


def test_a_maturin_package_builds_through_maturin(repo: Repo) -> None:
    repo.write("pyproject.toml", MATURIN)
    repo.write("Cargo.toml", CARGO)
    repo.write("src/main.rs", 'fn main() { println!("tiny"); }\n')
    repo.write(".gitignore", "dist/\ntarget/\n")
    subprocess.run(
        ["cargo", "generate-lockfile", "--offline"], cwd=repo.path, check=True, capture_output=True
    )
    repo.commit("feat: tiny binary")
    repo.tag("v0.3.0")
    ctx = plan_tagged(repo.path)
    ctx.config.build.sbom = False
    WheelsStep().run(ctx)
    kinds = sorted((a.kind, a.path.split("-")[0]) for a in ctx.manifest().artifacts)
    assert kinds == [("sdist", "tiny_bin"), ("wheel", "tiny_bin")]
    assert any(a.path.endswith(".whl") and "manylinux" in a.path for a in ctx.manifest().artifacts)

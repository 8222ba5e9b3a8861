"""Python distributions: pypa/build in isolation, or maturin for a maturin backend."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from release.base.errors import ReleaseError
from release.tools.run import run, which


def maturin(package: Path, out: Path) -> None:
    """The wheel (release profile) and the sdist of a maturin project into `out`."""
    binary = which("maturin")
    if binary is None:
        raise ReleaseError("maturin is not installed", hint="pip install maturin")
    run([binary, "build", "--release", "--out", str(out)], cwd=package, what="maturin")
    run([binary, "sdist", "--out", str(out)], cwd=package, what="maturin sdist")


def pypa_build(package: Path, out: Path) -> None:
    """Wheel and sdist through `python -m build`, from a copy of the package: setuptools
    writes build/ and *.egg-info next to the sources, and those stay clean."""
    with tempfile.TemporaryDirectory(prefix="release-build-") as tmp:
        source = Path(tmp) / package.name
        shutil.copytree(package, source, ignore=shutil.ignore_patterns("build", "dist"))
        run(
            [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
            what=f"python -m build {package.name}",
        )

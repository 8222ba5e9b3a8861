"""What a project is made of, detected from its files when the config does not say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from release.base._toml import tomllib
from release.core.project import pyproject_meta
from release.core.settings.config import Config

_SKIP_DIRS = {".git", "target", "dist", "build", "node_modules", ".venv", "venv", ".tox"}
_VERSION_LINE = re.compile(r"""^__version__\s*=\s*["'][^"']+["']""", re.MULTILINE)


@dataclass
class Layout:
    cargo: Path | None = None  # root Cargo.toml of a workspace or single crate
    python: list[Path] = field(default_factory=list)  # pyproject.toml files with [project]
    version_files: list[Path] = field(default_factory=list)  # __init__.py with __version__
    formulas: list[Path] = field(default_factory=list)
    dockerfile: Path | None = None


def detect(root: Path, config: Config) -> Layout:
    manifests = config.manifests
    layout = Layout()
    if manifests.cargo is None:
        layout.cargo = root / "Cargo.toml" if (root / "Cargo.toml").is_file() else None
    elif manifests.cargo:
        layout.cargo = root / manifests.cargo
    if manifests.python is None:
        layout.python = _pyprojects(root)
    else:
        layout.python = [root / p for p in manifests.python]
    if manifests.version_files is None:
        layout.version_files = [p for py in layout.python for p in _version_files(py.parent)]
    else:
        layout.version_files = [root / p for p in manifests.version_files]
    layout.formulas = sorted((root / "formulas").glob("*.rb"))
    layout.dockerfile = root / "Dockerfile" if (root / "Dockerfile").is_file() else None
    return layout


def _pyprojects(root: Path) -> list[Path]:
    """pyproject.toml files with a version we set, at the root or one folder down."""
    candidates = [root / "pyproject.toml"]
    candidates += sorted(
        child / "pyproject.toml"
        for child in root.iterdir()
        if child.is_dir() and child.name not in _SKIP_DIRS and not child.name.startswith(".")
    )
    return [path for path in candidates if path.is_file() and _versioned(path)]


def _versioned(path: Path) -> bool:
    """A static [project] version, or maturin's dynamic one (from the Cargo.toml the bump
    sets). A version from the tag (setuptools-scm) needs the .git that wheels' isolated copy
    of the package lacks, so such a package is left to the project's own build."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    if not pyproject_meta.metadata(data) and not isinstance(data.get("project"), dict):
        return False
    if "Private :: Do Not Upload" in pyproject_meta.classifiers_of(data):
        return False  # never released (a benchmark, a docs tool): no version of the project
    if pyproject_meta.version_of(data) is not None:  # [project] or Poetry's [tool.poetry]
        return True
    system = data.get("build-system", {})
    backend = system.get("build-backend") if isinstance(system, dict) else None
    return backend == "maturin"  # maturin takes a missing version from Cargo.toml too


def _version_files(package_root: Path) -> list[Path]:
    """`__init__.py` files of top-level packages (flat or src layout) that set __version__."""
    found = []
    for base in (package_root / "src", package_root):
        if not base.is_dir():
            continue
        for init in sorted(base.glob("*/__init__.py")):
            if init.parent.name in _SKIP_DIRS or init.parent.name == "tests":
                continue
            if _VERSION_LINE.search(init.read_text(encoding="utf-8")):
                found.append(init)
    return found

"""The files packed beside each binary when `[build] include` is not set: the README and every
licence file by its usual name (LICENSE, LICENSE-MIT and LICENSE-APACHE of a dual licence,
LICENSE.md, COPYING, UNLICENSE...), whichever the repository has."""

from __future__ import annotations

import re
from pathlib import Path

LICENCE_NAME = re.compile(
    r"(?i)^(licen[cs]e|copying|unlicense)(-[a-z0-9-]+(\.[0-9]+)*)?(\.(md|txt|rst|lesser))?$"
)
README_NAMES = ("README.md", "README.rst", "README.txt", "README")


def licence_files(root: Path) -> list[str]:
    """The licence files at the root, by name, sorted; without any, those of a REUSE
    `LICENSES/` folder (`LICENSES/MIT.txt`)."""
    if not root.is_dir():
        return []
    found = sorted(p.name for p in root.iterdir() if p.is_file() and LICENCE_NAME.match(p.name))
    reuse = root / "LICENSES"
    if not found and reuse.is_dir():
        found = sorted(f"LICENSES/{p.name}" for p in reuse.iterdir() if p.is_file())
    return found


def default_include(root: Path) -> list[str]:
    """The first README found, then the licence files."""
    readme = next((name for name in README_NAMES if (root / name).is_file()), None)
    return ([readme] if readme else []) + licence_files(root)

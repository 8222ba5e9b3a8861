"""Requirement ranges as Cargo, npm and pip read them: does the sibling's next version fit?"""

from __future__ import annotations

import pytest

from release.base.versioning import Version
from release.core.project.requirements import accepts


@pytest.mark.parametrize(
    ("kind", "requirement", "version", "fits"),
    [
        # Cargo: a bare version is a caret; 0.x moves with the minor, 0.0.x with the patch.
        ("crate", "0.3", "0.3.9", True),
        ("crate", "0.3", "0.4.0", False),
        ("crate", "0.3.1", "0.3.0", False),
        ("crate", "^1.2", "1.9.0", True),
        ("crate", "1.2", "2.0.0", False),
        ("crate", "0.0.3", "0.0.4", False),
        ("crate", "~1.2.3", "1.2.9", True),
        ("crate", "~1.2.3", "1.3.0", False),
        ("crate", "=1.2.3", "1.2.4", False),
        ("crate", ">=1.0, <3", "2.5.0", True),
        ("crate", ">=1.0, <3", "3.0.0", False),
        ("crate", "1.*", "1.7.0", True),
        ("crate", "*", "9.0.0", True),
        ("crate", None, "9.0.0", True),  # a path dependency without a version
        ("crate", "0.4", "0.4.0-rc.1", False),
        # npm: a bare version is exact; ranges with || alternatives.
        ("npm", "1.2.3", "1.2.4", False),
        ("npm", "^1.2.3", "1.9.0", True),
        ("npm", "^0.2.0 || ^0.3.0", "0.3.1", True),
        ("npm", "workspace:*", "5.0.0", True),
        # Python: PEP 440 through packaging.
        ("python", ">=0.5,<0.6", "0.6.0", False),
        ("python", "~=1.4", "1.9.0", True),
        ("python", "[cli]>=2; python_version > '3.8'", "2.1.0", True),
        ("python", "==1.0.0", "1.0.1", False),
    ],
)
def test_accepts(kind: str, requirement: str | None, version: str, fits: bool) -> None:
    assert accepts(kind, requirement, Version.parse(version)) is fits

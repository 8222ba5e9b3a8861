"""Python's spellings: a semver version's PEP 440 spelling, versions compared across
ecosystems, and a distribution's PEP 503 name."""

from __future__ import annotations

import re

from release.base.errors import VersionError
from release.base.versioning import Version


def python_version(version: Version | str) -> str:
    """The PEP 440 spelling of a semver version (1.2.0-rc.1 -> 1.2.0rc1)."""
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440

    try:
        return str(Pep440(str(version)))
    except InvalidVersion:
        raise VersionError(
            f"version {version} has no Python (PEP 440) spelling",
            hint="use a prerelease label Python understands: alpha, beta, rc, dev, post",
        ) from None


def normalized(version: str) -> str:
    """Compare versions across ecosystems: 1.2.0-rc.1 and 1.2.0rc1 are the same version."""
    try:
        return python_version(version)
    except VersionError:
        return version


def canonical_name(name: str) -> str:
    """PEP 503's form of a distribution's name, as PyPI and lock files write it."""
    return re.sub(r"[-_.]+", "-", name).lower()

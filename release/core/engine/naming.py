"""Can every destination of this release name its version? Checked before anything is public.

Each destination has its own grammar, and a version one of them cannot represent would fail
half-way, after others have published it. So a version form a destination cannot hold is
refused up front, with the reason; none is mapped to another spelling, since the release then
bears a different name on each destination (deliberately; docs/recovery.md):

- git: the tag must be a valid ref name (`git check-ref-format`).
- crates: the registry ignores semver build metadata (`1.2.0+build.5` is `1.2.0` to it).
- PyPI: a public PEP 440 version; local versions (`+...`) are refused by PyPI.
- Docker: a tag matches `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}` (no `+`).
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion
from packaging.version import Version as Pep440

from release.core.engine.context import Problem, ReleaseContext

DOCKER_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
DROP_BUILD = "release the version without its build metadata (`+...`)"


def problems(ctx: ReleaseContext, applying: set[str]) -> list[Problem]:
    """What each applying destination step (by name) cannot do with this version."""
    assert ctx.version is not None
    version, tag = str(ctx.version), ctx.tag
    found: list[Problem] = []
    if not ctx.git.valid_ref(f"refs/tags/{tag}"):
        found.append(
            Problem(
                "commit-tag",
                f"{tag!r} is not a valid git tag name",
                hint="choose a version (or [git] tag format) that makes a valid ref name",
            )
        )
    build = "+" in version
    if "crates" in applying and build:
        found.append(
            Problem(
                "crates",
                f"crate registries ignore build metadata: {version} would be published as "
                f"{version.split('+')[0]}",
                hint=DROP_BUILD,
            )
        )
    if "pypi" in applying and (reason := _pep440(version)) is not None:
        found.append(Problem("pypi", reason, hint=DROP_BUILD if build else None))
    if "docker" in applying and not DOCKER_TAG.fullmatch(version):
        found.append(
            Problem(
                "docker",
                f"{version!r} is not a valid Docker tag ([A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})",
                hint=DROP_BUILD if build else "choose a version Docker can name",
            )
        )
    return found


def _pep440(version: str) -> str | None:
    try:
        parsed = Pep440(version)
    except InvalidVersion:
        return f"{version} is not a PEP 440 version, which PyPI requires"
    if parsed.local is not None:
        return f"{version} is a local version (PEP 440), which PyPI refuses"
    return None

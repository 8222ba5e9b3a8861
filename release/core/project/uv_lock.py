"""uv.lock: the project's own packages state their version there too (`[[package]]` entries
whose source is the work tree: `{ editable = "." }`, `{ virtual = "." }`), and `uv sync
--locked` fails on a lock that disagrees with pyproject.toml. A release commit bumps them
with the manifests, as `uv lock` would, without asking uv or the network.

A line edit, not a TOML round trip: the lock is large and machine-written, and only the
version lines of those entries change."""

from __future__ import annotations

import re
from pathlib import Path

from release.base._toml import tomllib
from release.base.fsutil import nearest, read_text
from release.base.versioning import Version
from release.core.project import pyproject_meta
from release.core.project.pep440 import canonical_name, python_version
from release.core.project.sites import VersionSite

_ENTRY = re.compile(r"(?m)^\[\[package\]\]\n(?P<body>(?:(?!\[).*\n?)*)")
_NAME = re.compile(r'(?m)^name = "(?P<name>[^"]+)"$')
_VERSION = re.compile(r'(?m)^version = "(?P<version>[^"]+)"$')
_LOCAL = re.compile(r"(?m)^source = \{ (editable|virtual) = ")


def lock_for(pyproject: Path, root: Path) -> Path | None:
    """The uv.lock that locks `pyproject`: beside it, or at the root of its uv workspace
    (a folder above, up to the repository's root)."""
    return nearest(pyproject.parent, root, "uv.lock")


def bumped(text: str, names: set[str], version: str) -> str:
    """`text` (a uv.lock) with the work tree's entries named in `names` at `version`."""
    wanted = {canonical_name(n) for n in names}

    def entry(match: re.Match[str]) -> str:
        body = match["body"]
        name = _NAME.search(body)
        if name is None or canonical_name(name["name"]) not in wanted or not _LOCAL.search(body):
            return match.group(0)
        body = _VERSION.sub(f'version = "{version}"', body, count=1)
        return "[[package]]\n" + body

    return _ENTRY.sub(entry, text)


def local_versions(text: str) -> dict[str, str]:
    """The work tree's packages in a uv.lock, with the version each states."""
    found: dict[str, str] = {}
    for match in _ENTRY.finditer(text):
        body = match["body"]
        name, version = _NAME.search(body), _VERSION.search(body)
        if name and version and _LOCAL.search(body):
            found[canonical_name(name["name"])] = version["version"]
    return found


class UvLock:
    """The manifest protocol for a uv.lock: it follows the pyproject.toml files it locks and
    is never a source of the current version (a stale lock is uv's to report, not a second
    opinion on the version)."""

    def __init__(self, path: Path, names: set[str]) -> None:
        self.path = path
        self.names = names

    def current(self) -> list[VersionSite]:
        return []

    def bumped(self, new: Version) -> dict[Path, str]:
        text = read_text(self.path)
        after = bumped(text, self.names, python_version(new))
        return {self.path: after} if after != text else {}


def locks_of(root: Path, pyprojects: list[Path]) -> list[UvLock]:
    """A UvLock for each uv.lock that locks some of `pyprojects` (their `[project] name`)."""
    names: dict[Path, set[str]] = {}
    for pyproject in pyprojects:
        lock = lock_for(pyproject, root)
        name = _project_name(pyproject)
        if lock is not None and name is not None:
            names.setdefault(lock, set()).add(name)
    return [UvLock(lock, found) for lock, found in sorted(names.items())]


def _project_name(pyproject: Path) -> str | None:
    try:
        name = pyproject_meta.name_of(tomllib.loads(read_text(pyproject)))
    except (OSError, tomllib.TOMLDecodeError):
        return None  # the manifest itself reports it
    return name if isinstance(name, str) else None

"""package.json files that state the project's version, found and bumped with their formatting
kept: only the version strings change, every other byte stays (indentation, key order, the
final newline), which json.dumps would not keep.

A package pins its sibling packages to its own version in the dependency tables (git-cliff's
npm wrapper lists `"git-cliff-linux-x64": "2.13.1"` under optionalDependencies); such a pin is a
version site too. A package-lock.json beside the file states the version twice more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from release.base.errors import ConfigError
from release.base.fsutil import read_text
from release.base.versioning import Version
from release.core.project.sites import VersionSite

PIN_TABLES = ("dependencies", "optionalDependencies", "peerDependencies", "devDependencies")
_SKIP_DIRS = {"node_modules", "target", "dist", "build", ".venv", "venv", "vendor"}
_EXACT = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.\-]+)?$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')

KeyPath = tuple[str | int, ...]


def string_spans(text: str) -> dict[KeyPath, tuple[int, int]]:
    """Where each string value of a JSON text is (its quotes included), by its key path."""
    spans: dict[KeyPath, tuple[int, int]] = {}
    stack: list[list[Any]] = []  # [kind, key or index, expecting a key]
    for match in _TOKEN.finditer(text):
        token = match.group()
        top = stack[-1] if stack else None
        if token in "{[":
            stack.append(["{", None, True] if token == "{" else ["[", 0, False])
        elif token in "}]":
            stack.pop()
        elif token == ",":
            if top and top[0] == "{":
                top[2] = True
            elif top:
                top[1] += 1
        elif token == ":":
            if top:
                top[2] = False
        elif token.startswith('"'):
            if top and top[0] == "{" and top[2]:
                top[1] = json.loads(token)
            else:
                spans[tuple(frame[1] for frame in stack)] = (match.start(), match.end())
    return spans


class PackageJson:
    """`version` of a package.json, its pins of sibling packages, and its package-lock.json."""

    def __init__(self, path: Path, siblings: Iterable[str] = ()) -> None:
        self.path = path
        self.data = _parse(path)
        self.name = str(self.data.get("name", ""))
        self.siblings = set(siblings) - {self.name}
        lock = path.with_name("package-lock.json")
        self.lock = lock if lock.is_file() else None
        # An npm workspace's root: its lock's entries of these member folders follow (never
        # a source of the version: release.core.project.lock_files).
        self.members: set[str] = set()

    def _sibling(self, name: str) -> bool:
        own, scope = self.name, self.name.partition("/")[0]
        if name == own:  # a devDependency on itself: the published version, never the next
            return False
        return (
            name in self.siblings
            or (bool(own) and name.startswith(own + "-"))
            or (own.startswith("@") and name.startswith(scope + "/"))
        )

    def _paths(self) -> list[tuple[KeyPath, str]]:
        version = self.data.get("version")
        if not isinstance(version, str):
            return []
        found: list[tuple[KeyPath, str]] = [(("version",), "version")]
        for table in PIN_TABLES:
            deps = self.data.get(table)
            for name, spec in (deps or {}).items() if isinstance(deps, dict) else ():
                if spec == version and _EXACT.match(spec) and self._sibling(name):
                    found.append(((table, name), f"{table} {name}"))
        return found

    def _lock_paths(self) -> list[tuple[KeyPath, str]]:
        assert self.lock is not None
        data = _parse(self.lock)
        version = self.data.get("version")
        paths: list[tuple[KeyPath, str]] = []
        if data.get("version") == version:
            paths.append((("version",), "lock version"))
        if data.get("packages", {}).get("", {}).get("version") == version:
            paths.append((("packages", "", "version"), "lock packages[''] version"))
        return paths

    def current(self) -> list[VersionSite]:
        sites = _sites(self.path, self._paths())
        if self.lock is not None:
            sites += _sites(self.lock, self._lock_paths())
        return sites

    def bumped(self, new: Version) -> dict[Path, str]:
        text = str(new.replace(build=None))
        result = {self.path: _replace(read_text(self.path), self._paths(), text)}
        if self.lock is not None:
            lock = read_text(self.lock)
            spans = string_spans(lock)
            members = [(("packages", m, "version"), m) for m in sorted(self.members)]
            paths = self._lock_paths() + [(key, m) for key, m in members if key in spans]
            result[self.lock] = _replace(lock, paths, text)
        return result


def _parse(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except FileNotFoundError:
        raise ConfigError(
            f"manifest {path} does not exist",
            hint="fix the path under [manifests] npm in the release config",
        ) from None
    except ValueError as exc:
        raise ConfigError(
            f"{path.name} is not valid JSON: {exc}",
            hint="fix the syntax before releasing",
            where=f"{path}:{getattr(exc, 'lineno', 1)}",
        ) from None
    return data if isinstance(data, dict) else {}


def _sites(path: Path, paths: list[tuple[KeyPath, str]]) -> list[VersionSite]:
    text = read_text(path)
    spans = string_spans(text)
    sites = []
    for key, label in paths:
        start, end = spans[key]
        version = json.loads(text[start:end])
        sites.append(VersionSite(path, text.count("\n", 0, start) + 1, version, label))
    return sites


def _replace(text: str, paths: list[tuple[KeyPath, str]], version: str) -> str:
    spans = string_spans(text)
    for start, end in sorted((spans[key] for key, _ in paths), reverse=True):
        text = text[:start] + json.dumps(version) + text[end:]
    return text


def candidates(root: Path) -> list[Path]:
    """package.json files at the root and up to two folders down that state a version
    (0.0.0 is the placeholder of packages that are never published)."""
    return list(stating(root))


def stating(root: Path) -> dict[Path, dict[str, Any]]:
    """The candidates, each with its parsed data (read once for every caller)."""
    found = {}
    for path in package_jsons(root):
        try:
            data = json.loads(read_text(path))
            version = data.get("version")
        except (ValueError, AttributeError, UnicodeDecodeError):
            continue
        if isinstance(version, str) and version != "0.0.0":
            found[path] = data
    return found


def package_jsons(root: Path) -> list[Path]:
    """Every package.json at the root and up to two folders down, and in scoped packages'
    folders (`packages/@biomejs/biome`); node_modules left out."""
    found = []
    for pattern in ("package.json", "*/package.json", "*/*/package.json", "*/@*/*/package.json"):
        for path in sorted(root.glob(pattern)):
            parts = path.relative_to(root).parts[:-1]
            if not any(p in _SKIP_DIRS or p.startswith(".") for p in parts):
                found.append(path)
    return found


def detect(root: Path, reference: set[str], same: Callable[[str], str] = str) -> list[PackageJson]:
    """The package.json files that carry the project's version: one of `reference` (what the
    other manifests state; `same` spells versions comparably), else the root package.json's."""
    versions = {path: same(data["version"]) for path, data in stating(root).items()}
    wanted = {same(v) for v in reference}
    if not wanted and root / "package.json" in versions:
        wanted = {versions[root / "package.json"]}
    return packages([path for path in versions if versions[path] in wanted])


def packages(paths: list[Path]) -> list[PackageJson]:
    """The packages, each knowing the others' names (pins between them are bumped too)."""
    names = {str(_parse(p).get("name", "")) for p in paths}
    return [PackageJson(path, names) for path in paths]

"""Version strings in the project's manifests: where they are, and the same files bumped.

Edits go through tomlkit (comments, order and quoting survive); only version strings change.
Nothing here writes to disk: `bumped` returns new texts, the bump step writes them atomically.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import String, Table
from tomlkit.toml_document import TOMLDocument

from release.base.errors import ConfigError
from release.base.fsutil import read_text
from release.base.versioning import Version
from release.core.project import lock_files, npm, pyproject_meta, unpublished
from release.core.project.layout import Layout
from release.core.project.pep440 import normalized as normalized
from release.core.project.pep440 import python_version as python_version
from release.core.project.requirements import accepts
from release.core.project.sites import (
    Manifest as Manifest,  # re-exported: steps import it from here
)
from release.core.project.sites import VersionSite as VersionSite
from release.core.settings.config import Config
from release.core.settings.config_validation import locate


def load_document(path: Path) -> TOMLDocument:
    try:
        return tomlkit.parse(read_text(path))
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(
            f"{path.name} is not valid TOML: {exc}",
            hint="fix the syntax before releasing",
            where=f"{path}:{exc.line}",
        ) from None
    except FileNotFoundError:
        raise ConfigError(
            f"manifest {path} does not exist",
            hint="fix the path under [manifests] in the release config",
        ) from None


def set_string(container: Any, key: str, value: str) -> None:
    """Replace a string value, keeping its quoting style (and tomlkit keeps the comments)."""
    old = container[key]
    if isinstance(old, String):
        container[key] = String.from_raw(value, type_=old.type)
    else:
        container[key] = value


_REQ = re.compile(
    r"^\s*(?P<op>=|\^|~|>=)?\s*(?P<num>\d+(?:\.\d+){0,2})(?P<pre>-[0-9A-Za-z.\-]+)?\s*$"
)


def bump_requirement(requirement: str, new: Version) -> str | None:
    """`=1.1.0` -> `=1.2.0`, `1.1` -> `1.2`; None when the requirement is not a single version."""
    match = _REQ.match(requirement)
    if not match:
        return None
    op = match.group("op") or ""
    parts = match.group("num").count(".") + 1
    if new.prerelease or parts == 3:
        text = str(new.replace(build=None))
    else:
        text = ".".join(str(n) for n in (new.major, new.minor, new.patch)[:parts])
    return op + text


_DEPENDENCY_TABLES = ("dependencies", "dev-dependencies", "build-dependencies")


def dependency_tables(doc: TOMLDocument) -> list[Any]:
    """A Cargo.toml's dependency tables, the target-specific ones included."""
    tables = [doc[name] for name in _DEPENDENCY_TABLES if name in doc]
    for target in doc.get("target", {}).values():
        tables += [target[name] for name in _DEPENDENCY_TABLES if name in target]
    return tables


class CargoWorkspace:
    """A Cargo workspace (or single crate): package versions, path dependencies, Cargo.lock."""

    def __init__(self, root_manifest: Path) -> None:
        self.root_manifest = root_manifest
        self.root = root_manifest.parent
        self.doc = load_document(root_manifest)
        self.members = self._members()  # crate name -> manifest path
        self.docs = {path: load_document(path) for path in set(self.members.values())}
        self.docs[root_manifest] = self.doc

    def _members(self) -> dict[str, Path]:
        workspace = self.doc.get("workspace", {})
        patterns = list(workspace.get("members", []))
        excluded = {(self.root / e).resolve() for e in workspace.get("exclude", [])}
        paths: list[Path] = []
        for pattern in patterns:
            for hit in sorted(glob.glob(str(self.root / pattern))):
                manifest = Path(hit) / "Cargo.toml"
                if manifest.is_file() and Path(hit).resolve() not in excluded:
                    paths.append(manifest)
        if "package" in self.doc:
            paths.insert(0, self.root_manifest)
        members: dict[str, Path] = {}
        for path in paths:
            doc = self.doc if path == self.root_manifest else load_document(path)
            name = doc.get("package", {}).get("name")
            if isinstance(name, str):
                members[name] = path
        return members

    def current(self) -> list[VersionSite]:
        sites = []
        ws_version = self.doc.get("workspace", {}).get("package", {}).get("version")
        if isinstance(ws_version, str):
            sites.append(
                self._site(self.root_manifest, ("workspace", "package", "version"), ws_version)
            )
        versioned = unpublished.versioned(self)  # never an xtask at 0.0.0
        for name, path in self.members.items():
            version = self.docs[path].get("package", {}).get("version")
            if isinstance(version, str) and name in versioned:
                sites.append(self._site(path, ("package", "version"), version, f"crate {name}"))
        return sites

    def _site(self, path: Path, loc: tuple[str, ...], version: str, label: str = "") -> VersionSite:
        line = locate(read_text(path), loc)
        return VersionSite(path, line, version, label or "[" + ".".join(loc[:-1]) + "] version")

    def bumped(self, new: Version) -> dict[Path, str]:
        text = str(new.replace(build=None))
        # Fresh documents: the ones read at start stay as the files are (current() reads them).
        docs = {path: load_document(path) for path in self.docs}
        versioned = unpublished.versioned(self)
        hidden = unpublished.unpublished(self) - versioned  # requirements move when left out
        ws = docs[self.root_manifest].get("workspace")
        if isinstance(ws, Table | dict):
            package = ws.get("package")
            if package is not None and isinstance(package.get("version"), str):
                set_string(package, "version", text)
            deps = ws.get("dependencies")
            if deps is not None:
                self._bump_dependencies(deps, new, versioned)
        for doc in docs.values():
            package = doc.get("package")
            if (
                package is not None
                and isinstance(package.get("version"), str)
                and package.get("name") in versioned
            ):
                set_string(package, "version", text)
            lenient = package is not None and package.get("name") in hidden
            for table in dependency_tables(doc):
                self._bump_dependencies(table, new, versioned, lenient=lenient)
        result = {path: tomlkit.dumps(doc) for path, doc in docs.items()}
        lock = self.root / "Cargo.lock"
        if lock.is_file():
            result[lock] = self._bumped_lock(lock, text, versioned)
        return result

    def _bump_dependencies(
        self, table: Any, new: Version, versioned: set[str], *, lenient: bool = False
    ) -> None:
        for key, spec in table.items():
            if not hasattr(spec, "get"):
                continue  # `name = "1.0"`: a registry dependency, not a member
            name = spec.get("package", key)
            requirement = spec.get("version")
            if name in versioned and isinstance(requirement, str) and "path" in spec:
                bumped = bump_requirement(requirement, new)
                if bumped is not None and not (lenient and accepts("crate", requirement, new)):
                    set_string(spec, "version", bumped)

    def _bumped_lock(self, lock: Path, text: str, versioned: set[str]) -> str:
        doc = load_document(lock)
        for package in doc.get("package", []):
            if package.get("name") in versioned and "source" not in package:
                set_string(package, "version", text)
        return tomlkit.dumps(doc)


class Pyproject:
    """The version of a pyproject.toml: `[project] version`, or Poetry's `[tool.poetry]`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = load_document(path)

    def current(self) -> list[VersionSite]:
        text = read_text(self.path)
        return [
            VersionSite(
                self.path,
                locate(text, key),
                str(_at(self.doc, key)),
                f"[{'.'.join(key[:-1])}] version",
            )
            for key in pyproject_meta.version_keys(self.doc)
        ]

    def bumped(self, new: Version) -> dict[Path, str]:
        doc = load_document(self.path)
        keys = pyproject_meta.version_keys(doc)
        if not keys:
            return {}  # a dynamic version: maturin reads Cargo's, setuptools-scm the tag
        for key in keys:
            set_string(_at(doc, key[:-1]), key[-1], python_version(new))
        return {self.path: tomlkit.dumps(doc)}


def _at(doc: Any, key: tuple[str, ...]) -> Any:
    for part in key:
        doc = doc[part]
    return doc


class PatternFile:
    """A line template such as `__version__ = "{version}"` in any text file."""

    def __init__(self, path: Path, search: str, *, python: bool = False) -> None:
        if "{version}" not in search:
            raise ConfigError(
                f"search template {search!r} for {path} has no {{version}}",
                hint="write the line as it appears, with {version} in place of the number",
            )
        self.path = path
        self.search = search
        self.python = python  # write the PEP 440 spelling
        before, _, after = search.partition("{version}")
        self.regex = re.compile(
            re.escape(before) + r"(?P<version>[0-9][0-9A-Za-z.+\-]*)" + re.escape(after)
        )

    def _text(self) -> str:
        try:
            return read_text(self.path)
        except FileNotFoundError:
            raise ConfigError(
                f"version file {self.path} does not exist",
                hint="fix the path under [manifests] in the release config",
            ) from None

    def current(self) -> list[VersionSite]:
        text = self._text()
        sites = []
        for match in self.regex.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            sites.append(VersionSite(self.path, line, match.group("version"), self.search))
        return sites

    def bumped(self, new: Version) -> dict[Path, str]:
        version = python_version(new) if self.python else str(new)
        before, _, after = self.search.partition("{version}")
        replacement = (before + version + after).replace("\\", "\\\\")
        return {self.path: self.regex.sub(replacement, self._text())}


class InitVersion(PatternFile):
    """`__version__ = "..."` in a package's __init__.py, with either quote."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, '__version__ = "{version}"', python=True)
        self.regex = re.compile(
            r"""(?m)^(?P<lead>__version__\s*=\s*)(?P<q>["'])(?P<version>[^"']+)(?P=q)"""
        )

    def bumped(self, new: Version) -> dict[Path, str]:
        version = python_version(new)
        text = self.regex.sub(lambda m: f"{m['lead']}{m['q']}{version}{m['q']}", self._text())
        return {self.path: text}


def manifests_for(root: Path, config: Config, layout: Layout) -> list[Manifest]:
    found: list[Manifest] = []
    if layout.cargo is not None:
        found.append(CargoWorkspace(layout.cargo))
    found += [Pyproject(path) for path in layout.python]
    found += [InitVersion(path) for path in layout.version_files]
    found += [PatternFile(root / e.path, e.search) for e in config.manifests.extra]
    if config.manifests.npm is None:  # the package.json files that state the same version
        stated = {site.version for manifest in found for site in manifest.current()}
        found += npm.detect(root, stated, same=normalized)
    else:
        found += npm.packages([root / path for path in config.manifests.npm])
    return found + lock_files.followers(root, layout.python, found)

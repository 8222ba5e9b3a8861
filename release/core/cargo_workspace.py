"""A Cargo workspace's versions (the crates the release versions, their path requirements on
each other, Cargo.lock), edited through tomlkit so that comments, order and quoting survive."""

from __future__ import annotations

import glob
import re
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import String, Table
from tomlkit.toml_document import TOMLDocument

from release.core.config_validation import locate
from release.core.errors import ConfigError
from release.core.fsutil import read_text
from release.core.sites import VersionSite
from release.core.versioning import Version


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

    def unpublished(self) -> set[str]:
        """Members with `publish = false` (or `[]`, or inherited from the workspace)."""
        inherited = self.doc.get("workspace", {}).get("package", {}).get("publish")
        names = set()
        for name, path in self.members.items():
            publish = self.docs[path].get("package", {}).get("publish")
            if isinstance(publish, dict) and publish.get("workspace"):
                publish = inherited
            if publish is False or publish == []:
                names.add(name)
        return names

    def versioned(self) -> set[str]:
        """The members the release versions. A `publish = false` crate (an xtask, a test
        helper at 0.0.0) is left as it is unless it states the released crates' version;
        when no crate is published, all are (a binary released on its own, not on crates.io)."""
        unpublished = self.unpublished()
        versions = {name: self._version(path) for name, path in self.members.items()}
        released = {str(versions[n]) for n in versions if n not in unpublished} - {"None"}
        inherited = self.doc.get("workspace", {}).get("package", {}).get("version")
        released |= {inherited} if isinstance(inherited, str) else set()
        if len(unpublished) == len(self.members):
            return set(self.members)
        return {n for n in self.members if n not in unpublished or str(versions[n]) in released}

    def _version(self, path: Path) -> str | None:
        version = self.docs[path].get("package", {}).get("version")
        return version if isinstance(version, str) else None

    def current(self) -> list[VersionSite]:
        sites = []
        ws_version = self.doc.get("workspace", {}).get("package", {}).get("version")
        if isinstance(ws_version, str):
            sites.append(
                self._site(self.root_manifest, ("workspace", "package", "version"), ws_version)
            )
        versioned = self.versioned()
        for name, path in self.members.items():
            version = self._version(path)
            if version is not None and name in versioned:
                sites.append(self._site(path, ("package", "version"), version, f"crate {name}"))
        return sites

    def _site(self, path: Path, loc: tuple[str, ...], version: str, label: str = "") -> VersionSite:
        line = locate(read_text(path), loc)
        return VersionSite(path, line, version, label or "[" + ".".join(loc[:-1]) + "] version")

    def bumped(self, new: Version) -> dict[Path, str]:
        text = str(new.replace(build=None))
        # Fresh documents: the ones read at start stay as the files are (current() reads them).
        docs = {path: load_document(path) for path in self.docs}
        versioned = self.versioned()
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
            for table in self._dependency_tables(doc):
                self._bump_dependencies(table, new, versioned)
        result = {path: tomlkit.dumps(doc) for path, doc in docs.items()}
        lock = self.root / "Cargo.lock"
        if lock.is_file():
            result[lock] = self._bumped_lock(lock, text, versioned)
        return result

    def _dependency_tables(self, doc: TOMLDocument) -> list[Any]:
        return dependency_tables(doc)

    def _bump_dependencies(self, table: Any, new: Version, versioned: set[str]) -> None:
        for key, spec in table.items():
            if not hasattr(spec, "get"):
                continue  # `name = "1.0"`: a registry dependency, not a member
            name = spec.get("package", key)
            requirement = spec.get("version")
            if name in versioned and isinstance(requirement, str) and "path" in spec:
                bumped = bump_requirement(requirement, new)
                if bumped is not None:
                    set_string(spec, "version", bumped)

    def _bumped_lock(self, lock: Path, text: str, versioned: set[str]) -> str:
        doc = load_document(lock)
        for package in doc.get("package", []):
            if package.get("name") in versioned and "source" not in package:
                set_string(package, "version", text)
        return tomlkit.dumps(doc)

"""Version strings in the project's manifests: where they are, and the same files bumped.

Edits go through tomlkit (comments, order and quoting survive); only version strings change.
Nothing here writes to disk: `bumped` returns new texts, the bump step writes them atomically.
"""

from __future__ import annotations

import re
from pathlib import Path

import tomlkit

from release.core import npm
from release.core.cargo_workspace import CargoWorkspace as CargoWorkspace  # re-exported
from release.core.cargo_workspace import bump_requirement as bump_requirement
from release.core.cargo_workspace import dependency_tables as dependency_tables
from release.core.cargo_workspace import load_document as load_document
from release.core.cargo_workspace import set_string as set_string
from release.core.config import Config
from release.core.config_validation import locate
from release.core.errors import ConfigError, VersionError
from release.core.fsutil import read_text
from release.core.layout import Layout
from release.core.sites import Manifest as Manifest  # re-exported: steps import it from here
from release.core.sites import VersionSite as VersionSite
from release.core.versioning import Version


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


class Pyproject:
    """`[project] version` of a pyproject.toml."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = load_document(path)

    def current(self) -> list[VersionSite]:
        version = self.doc.get("project", {}).get("version")
        if not isinstance(version, str):
            return []
        line = locate(read_text(self.path), ("project", "version"))
        return [VersionSite(self.path, line, version, "[project] version")]

    def bumped(self, new: Version) -> dict[Path, str]:
        doc = load_document(self.path)
        if not isinstance(doc.get("project", {}).get("version"), str):
            return {}  # a dynamic version: maturin reads Cargo's, setuptools-scm the tag
        set_string(doc["project"], "version", python_version(new))
        return {self.path: tomlkit.dumps(doc)}


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
    return found

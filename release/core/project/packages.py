"""The packages of a repository, each with its own version: the crates of a Cargo workspace, the
Python packages (pyproject.toml), and the package.json packages. Independent mode versions
and tags each of them; what one requires of its siblings decides which follow a release."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from release.base._toml import tomllib
from release.base.errors import ConfigError
from release.base.fsutil import read_text
from release.base.versioning import Version
from release.core.project import pyproject_meta
from release.core.project.examples import in_examples, untagged
from release.core.project.layout import Layout
from release.core.project.package import Kind as Kind  # re-exported
from release.core.project.package import Package as Package
from release.core.project.package_names import qualified
from release.core.project.pep440 import canonical_name
from release.core.settings.config import Config

# Tables whose requirements a published package carries; dev-dependencies are not published
# with a version requirement that must hold, so a dev-only dependency releases nothing.
_CARGO_TABLES = ("dependencies", "build-dependencies")
_NPM_TABLES = ("dependencies", "optionalDependencies", "peerDependencies")
_PEP508_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def discover(root: Path, config: Config, layout: Layout) -> list[Package]:
    """Every package with a version of its own, in a stable order (crates, Python, npm)."""
    found = _joined(_crates(root, layout), _pythons(root, layout)) + _npms(root, config)
    excluded = set(config.version.exclude)  # not released: as if `publish = false`
    found = [p for p in found if p.name not in excluded]
    # Names two ecosystems share (a crate and a PyPI package of different versions) are
    # qualified by their registry (release.core.project.package_names).
    return [p for p in qualified(_no_examples(root, found)) if p.name not in excluded]


def _no_examples(root: Path, found: list[Package]) -> list[Package]:
    """`found` without the example packages no tag names (release.core.project.examples)."""
    examples = [p for p in found if in_examples(p.root) and not _says_published(p)]
    if not examples:
        return found
    dropped = untagged(root, {p.name: str(p.version) for p in examples})
    return [p for p in found if p not in examples or p.name not in dropped]


def _says_published(package: Package) -> bool:
    """A manifest that says it is published: `publish = true` or a registry list, a
    `publishConfig`."""
    if package.kind == "crate":
        publish = _toml_file(package.manifest).get("package", {}).get("publish")
        return publish is True or (isinstance(publish, list) and bool(publish))
    if package.kind == "npm":
        return "publishConfig" in json.loads(read_text(package.manifest))
    return False


def _joined(crates: list[Package], pythons: list[Package]) -> list[Package]:
    """The crates, each with the PyPI package of its name that ships it (maturin's, or one
    stating the crate's version), then the other Python packages."""
    by_name = {c.name: c for c in crates}
    others = []
    for python in pythons:
        crate = by_name.get(python.name)
        if crate is not None and (_maturin(python.manifest) or python.version == crate.version):
            by_name[crate.name] = replace(
                crate,
                companions=(*crate.companions, python.manifest),
                # at the root (uv, ruff): its folder is everyone's, the crate's commits decide
                companion_roots=(*crate.companion_roots, *([python.root] if python.root else [])),
            )
        else:
            others.append(python)
    return list(by_name.values()) + others


def _maturin(pyproject: Path) -> bool:
    system = _toml_file(pyproject).get("build-system", {})
    return isinstance(system, dict) and system.get("build-backend") == "maturin"


def stated_versions(root: Path, layout: Layout) -> set[str]:
    """The versions the crates and Python packages state. package.json files are left out:
    lockstep bumps only those that state the project's version, and a docs site's own
    version must not make a repository independent."""
    return {
        str(p.version) for p in _no_examples(root, _crates(root, layout) + _pythons(root, layout))
    }


def _rel(root: Path, manifest: Path) -> str:
    folder = manifest.parent.relative_to(root).as_posix()
    return "" if folder == "." else folder


def _version(text: str, manifest: Path) -> Version:
    try:
        return Version.parse(text)
    except ValueError:
        pass
    pep440 = _from_pep440(text) if manifest.name == "pyproject.toml" else None
    if pep440 is not None:
        return pep440
    raise ConfigError(
        f"{manifest}: version {text!r} is not a semver version",
        hint="independent mode reads each package's version from its manifest",
    )


def _from_pep440(text: str) -> Version | None:
    """A pyproject's `1.2.0rc1` as semver's `1.2.0-rc.1` (what the bump wrote from it)."""
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440

    try:
        parsed = Pep440(text)
    except InvalidVersion:
        return None
    major, minor, patch = (*parsed.release, 0, 0)[:3]
    labels = {"a": "alpha", "b": "beta", "rc": "rc"}
    pre = f"{labels[parsed.pre[0]]}.{parsed.pre[1]}" if parsed.pre else None
    if parsed.dev is not None:
        pre = f"{pre + '.' if pre else ''}dev.{parsed.dev}"
    build = f"post.{parsed.post}" if parsed.post is not None else None
    return Version(major, minor, patch, pre, build)


def _crates(root: Path, layout: Layout) -> list[Package]:
    """The workspace's crates, read with tomllib: `release next` reads them on every run, and
    tomlkit (which keeps formatting, for the bump) is several times slower."""
    if layout.cargo is None:
        return []
    top = _toml_file(layout.cargo)
    workspace = top.get("workspace", {})
    inherited = workspace.get("package", {}).get("version")
    shared = workspace.get("dependencies", {})
    found = []
    for manifest in _members(layout.cargo, top):
        doc = top if manifest == layout.cargo else _toml_file(manifest)
        package = doc.get("package", {})
        name, version = package.get("name"), package.get("version")
        if isinstance(version, dict) and version.get("workspace"):
            version = inherited
        if not isinstance(name, str) or not isinstance(version, str):
            continue
        publish = package.get("publish")
        if isinstance(publish, dict) and publish.get("workspace"):
            publish = workspace.get("package", {}).get("publish")
        if publish is False or publish == []:
            continue  # never released: nothing to version or tag
        requires: dict[str, str | None] = {}
        for table in _CARGO_TABLES:
            for key, spec in doc.get(table, {}).items():
                if isinstance(spec, dict) and spec.get("workspace"):
                    spec = (
                        {**shared.get(key, {}), **spec}
                        if isinstance(shared.get(key), dict)
                        else shared.get(key, spec)
                    )
                # Without a path it is the registry's crate (tauri-cli's `tauri-utils-v1 = {
                # version = "1", package = "tauri-utils" }`), not the sibling of its name.
                if isinstance(spec, dict) and "path" in spec:
                    requires[str(spec.get("package", key))] = spec.get("version")
        found.append(_package(root, name, "crate", manifest, version, requires))
    return found


def _members(root_manifest: Path, top: dict[str, Any]) -> list[Path]:
    folder = root_manifest.parent
    workspace = top.get("workspace", {})
    excluded = {(folder / e).resolve() for e in workspace.get("exclude", [])}
    found = [root_manifest] if "package" in top else []
    seen = set(found)  # a list's `in` made 200 crates cost 20,000 path comparisons
    for pattern in workspace.get("members", []):
        # "." names the root package itself, which Path.glob refuses (just's `[".", "crates/*"]`).
        hits = [folder] if pattern.strip("./") == "" else sorted(folder.glob(pattern))
        for hit in hits:
            manifest = hit / "Cargo.toml"
            if manifest in seen or not manifest.is_file():
                continue
            if excluded and hit.resolve() in excluded:  # resolve() only when it can matter
                continue
            seen.add(manifest)
            found.append(manifest)
    return found


def _toml_file(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}", hint="fix the TOML syntax") from None
    return data


def _package(
    root: Path, name: str, kind: Kind, manifest: Path, version: str, requires: dict[str, str | None]
) -> Package:
    return Package(
        name, kind, _rel(root, manifest), manifest, _version(version, manifest), requires
    )


def _pythons(root: Path, layout: Layout) -> list[Package]:
    found = []
    for manifest in layout.python:
        data = _toml_file(manifest)
        name, version = pyproject_meta.name_of(data), pyproject_meta.version_of(data)
        if name is None or version is None:
            continue  # maturin's dynamic version follows its crate
        if "Private :: Do Not Upload" in pyproject_meta.classifiers_of(data):
            continue  # PyPI's `publish = false`: never released
        requires: dict[str, str | None] = {
            canonical_name(n): None for n in pyproject_meta.poetry_dependencies(data)
        }
        for line in pyproject_meta.dependency_lines(data):
            match = _PEP508_NAME.match(line)
            if match:
                requires[canonical_name(match.group(1))] = line[match.end() :].strip() or None
        found.append(_package(root, canonical_name(name), "python", manifest, version, requires))
    return found


def _npms(root: Path, config: Config) -> list[Package]:
    from release.core.project import npm

    paths = (
        [root / p for p in config.manifests.npm]
        if config.manifests.npm is not None
        else npm.candidates(root)
    )
    found = []
    for manifest in paths:
        data: dict[str, Any] = json.loads(read_text(manifest))
        name, version = data.get("name"), data.get("version")
        if not isinstance(name, str) or not isinstance(version, str) or data.get("private"):
            continue
        requires: dict[str, str | None] = {}
        for table in _NPM_TABLES:
            for dep, spec in (data.get(table) or {}).items():
                requires[dep] = spec if isinstance(spec, str) else None
        found.append(_package(root, name, "npm", manifest, version, requires))
    return found

"""Independent mode's bump: one package's own version, the requirements its siblings have on it
when they no longer admit the new version (the planner releases those siblings too), and the
lock entry. Each file keeps its formatting: tomlkit for TOML, string spans for JSON.

The train bumps its packages one after the other, each reading the files as the previous one
left them: a Cargo.toml can hold a crate's version and its requirement on a sibling.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import tomlkit

from release.base.errors import ConfigError
from release.base.fsutil import read_text
from release.base.versioning import Version
from release.core.project import npm
from release.core.project.manifests import (
    CargoWorkspace,
    InitVersion,
    Pyproject,
    bump_requirement,
    dependency_tables,
    load_document,
    python_version,
    set_string,
)
from release.core.project.packages import Package
from release.core.project.requirements import accepts
from release.core.project.unpublished import unpublished


def package_bumped(
    package: Package,
    new: Version,
    siblings: list[Package],
    *,
    cargo_root: Path | None,
    version_files: list[Path],
) -> dict[Path, str]:
    """The files this package's release rewrites, with their new text (read from disk now)."""
    texts: dict[Path, str] = {}
    dependents = [s for s in siblings if package.name in s.requires and s.name != package.name]
    if package.kind == "crate":
        texts.update(_crate(package, new, dependents, cargo_root))
        for pyproject in package.companions:  # its PyPI package: the same version
            texts.update(Pyproject(pyproject).bumped(new))
        for path in version_files:  # theirs (a crate alone has none)
            texts.update(InitVersion(path).bumped(new))
    elif package.kind == "python":
        texts.update(_python(package, new, dependents))
        for path in version_files:
            texts.update(InitVersion(path).bumped(new))
    else:
        texts.update(_npm(package, new, dependents))
    return texts


def _own_version_error(package: Package) -> ConfigError:
    return ConfigError(
        f"{package.manifest}: {package.name} does not state its own version "
        "(it inherits the workspace's), so it cannot be released on its own",
        hint=f'give it one (version = "{package.version}") or put it in a [[version.groups]] '
        "with the crates that share the workspace version",
        where=str(package.manifest),
    )


def _crate(
    package: Package, new: Version, dependents: list[Package], cargo_root: Path | None
) -> dict[Path, str]:
    text = str(new.replace(build=None))
    docs = {package.manifest: load_document(package.manifest)}
    own = docs[package.manifest].get("package", {})
    if not isinstance(own.get("version"), str):
        raise _own_version_error(package)
    set_string(own, "version", text)
    for dependent in dependents:
        docs.setdefault(dependent.manifest, load_document(dependent.manifest))
    if cargo_root is not None:
        docs.setdefault(cargo_root, load_document(cargo_root))
        # Unpublished crates (publish = false) are no packages, yet their requirements on
        # this one must still admit the new version, or the workspace no longer resolves.
        cargo = CargoWorkspace(cargo_root)
        for name in unpublished(cargo):
            docs.setdefault(cargo.members[name], load_document(cargo.members[name]))
    changed = {package.manifest}
    for path, doc in docs.items():
        tables = dependency_tables(doc)
        workspace = doc.get("workspace")
        if workspace is not None and "dependencies" in workspace:
            tables.append(workspace["dependencies"])
        if any(_requirement_moved(table, package.manifest_name, new) for table in tables):
            changed.add(path)
    result = {path: tomlkit.dumps(docs[path]) for path in changed}
    lock = cargo_root.parent / "Cargo.lock" if cargo_root else None
    if lock is not None and lock.is_file():
        doc = load_document(lock)
        for entry in doc.get("package", []):
            if entry.get("name") == package.manifest_name and "source" not in entry:
                set_string(entry, "version", text)
        result[lock] = tomlkit.dumps(doc)
    return result


def _requirement_moved(table: Any, name: str, new: Version) -> bool:
    """Rewrite `name`'s version requirement in one dependency table when it leaves `new` out."""
    moved = False
    for key, spec in table.items():
        if not hasattr(spec, "get") or spec.get("package", key) != name:
            continue
        if "path" not in spec:
            continue  # the registry's crate (tauri's `tauri-utils-v1 = { version = "1" }`)
        requirement = spec.get("version")
        if isinstance(requirement, str) and not accepts("crate", requirement, new):
            set_string(spec, "version", bump_requirement(requirement, new) or str(new))
            moved = True
    return moved


def _python(package: Package, new: Version, dependents: list[Package]) -> dict[Path, str]:
    result = Pyproject(package.manifest).bumped(new)  # [project] or [tool.poetry]
    for dependent in dependents:
        if dependent.kind != "python":
            continue
        other = load_document(dependent.manifest)
        items = other.get("project", {}).get("dependencies", [])
        for index, item in enumerate(list(items)):
            rewritten = _python_requirement(str(item), package.manifest_name, new)
            if rewritten is not None:
                items[index] = rewritten
                result[dependent.manifest] = tomlkit.dumps(other)
    return result


def _python_requirement(item: str, name: str, new: Version) -> str | None:
    """`lens-core>=0.3,<0.4` -> `lens-core>=0.4.0,<0.5` when 0.4.0 is out of its range; None
    when the requirement is on another package or still admits the version."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        req = Requirement(item)
    except InvalidRequirement:
        return None
    if canonicalize_name(req.name) != name or accepts("python", str(req.specifier) or None, new):
        return None
    release = python_version(new)
    bounded = any(s.operator in {"<", "<="} for s in req.specifier)
    upper = f"{new.major + 1}" if new.major else f"0.{new.minor + 1}"
    spec = f">={release},<{upper}" if bounded else f">={release}"
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    marker = f"; {req.marker}" if req.marker else ""
    return f"{req.name}{extras}{spec}{marker}"


def _npm(package: Package, new: Version, dependents: list[Package]) -> dict[Path, str]:
    text = str(new.replace(build=None))
    own = npm.PackageJson(package.manifest)
    result = own.bumped(new) if own.data.get("version") else {}
    for manifest in [d.manifest for d in dependents if d.kind == "npm"] + _private(package):
        source = read_text(manifest)
        data = json.loads(source)
        moved = [
            ((table, package.manifest_name), "")
            for table in npm.PIN_TABLES
            if isinstance(spec := (data.get(table) or {}).get(package.manifest_name), str)
            and not accepts("npm", spec, new)
        ]
        if moved:
            spans = npm.string_spans(source)
            for (table, name), _ in sorted(moved, key=lambda m: spans[m[0]], reverse=True):
                start, end = spans[(table, name)]
                old = json.loads(source[start:end])
                source = (
                    source[:start] + json.dumps(bump_requirement(old, new) or text) + source[end:]
                )
            result[manifest] = source
    return result


def _private(package: Package) -> list[Path]:
    """The repository's private package.json files (no packages of their own, not released),
    whose pins of `package` must still admit the new version."""
    root = package.manifest.parent
    for _ in Path(package.root).parts:
        root = root.parent
    private = []
    for path in npm.package_jsons(root):
        try:
            data = json.loads(read_text(path))
        except (ValueError, UnicodeDecodeError):
            continue
        if path != package.manifest and isinstance(data, dict) and data.get("private"):
            private.append(path)
    return private

"""What a Python package's SBOM lists: its dependencies at the versions they resolve to, each
with a package URL. From a lock file beside pyproject.toml (uv.lock, pylock.toml, poetry.lock,
pdm.lock) when there is one, else from this environment when the package itself is installed
in it (the installed distributions that satisfy the declared requirements, and theirs), else
the declared requirement alone (its version when pinned with ==). Only what the declared
requirements reach is listed: a lock's dev groups are not part of the package."""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release.base._toml import tomllib
from release.core.project.pep440 import canonical_name as canonical

LOCKS = ("uv.lock", "pylock.toml", "poetry.lock", "pdm.lock")


@dataclass(frozen=True)
class Resolved:
    name: str  # canonical
    version: str | None  # None: declared, not resolved
    depends_on: tuple[str, ...]
    source: str  # the lock file's name, "environment" or "declared"


def resolve(pyproject: Path, project: str, declared: list[str]) -> dict[str, Resolved]:
    """Every dependency the declared requirements reach, by canonical name."""
    from packaging.requirements import Requirement

    direct = [Requirement(line) for line in declared]
    direct = [r for r in direct if r.marker is None or r.marker.evaluate({"extra": ""})]
    for lock in LOCKS:
        if (pyproject.parent / lock).is_file():
            locked = _from_lock(pyproject.parent / lock)
            return _closure([canonical(r.name) for r in direct], locked)
    found = _from_environment(direct) if _installed(project) else {}
    for req in direct:  # what the environment does not have, as declared
        pinned = [s.version for s in req.specifier if s.operator == "=="]
        version = pinned[0] if len(pinned) == 1 else None
        found.setdefault(
            canonical(req.name), Resolved(canonical(req.name), version, (), "declared")
        )
    return found


def _installed(project: str) -> bool:
    """The package is installed here: this environment is one it was resolved into."""
    try:
        importlib.metadata.distribution(project)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _closure(roots: list[str], known: dict[str, Resolved]) -> dict[str, Resolved]:
    found: dict[str, Resolved] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = known.get(name) or Resolved(name, None, (), "declared")
        todo += found[name].depends_on
    return found


def _from_lock(path: Path) -> dict[str, Resolved]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    packages: list[dict[str, Any]] = data.get("package") or data.get("packages") or []
    found = {}
    for package in packages:
        name = canonical(str(package["name"]))
        deps = package.get("dependencies") or []
        if isinstance(deps, dict):  # poetry: name -> constraint
            names = list(deps)
        else:  # uv and pylock: tables with a name; pdm: requirement strings
            names = [
                d["name"] if isinstance(d, dict) else re.split(r"[\s\[<>=!~;(]", d)[0] for d in deps
            ]
        version = package.get("version")
        found[name] = Resolved(
            name, str(version) if version else None, tuple(canonical(n) for n in names), path.name
        )
    return found


def _from_environment(direct: list[Any]) -> dict[str, Resolved]:
    from packaging.requirements import Requirement

    found: dict[str, Resolved] = {}
    todo = [(r, r.extras) for r in direct]
    while todo:
        req, extras = todo.pop()
        name = canonical(req.name)
        if name in found:
            continue
        try:
            dist = importlib.metadata.distribution(req.name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if not req.specifier.contains(dist.version, prereleases=True):
            continue  # installed, but not what the package asks for: not this resolution
        deps = []
        for line in dist.requires or []:
            sub = Requirement(line)
            wanted = sub.marker is None or any(
                sub.marker.evaluate({"extra": extra}) for extra in ("", *extras)
            )
            if wanted:
                deps.append(canonical(sub.name))
                todo.append((sub, sub.extras))
        found[name] = Resolved(name, dist.version, tuple(sorted(set(deps))), "environment")
    return found

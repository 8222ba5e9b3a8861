"""A pyproject.toml's name and version: PEP 621's `[project]` table, or Poetry's
`[tool.poetry]` (Poetry 1, and Poetry 2 projects that keep their metadata there). Every
reader of a Python package's metadata asks here, so both spellings are one package."""

from __future__ import annotations

from typing import Any

VersionKey = tuple[str, ...]
_TABLES: tuple[VersionKey, ...] = (("project",), ("tool", "poetry"))


def _table(data: Any, path: VersionKey) -> dict[str, Any]:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def metadata(data: dict[str, Any]) -> dict[str, Any]:
    """The table that names the package: `[project]` when it does, else `[tool.poetry]`."""
    for path in _TABLES:
        table = _table(data, path)
        if isinstance(table.get("name"), str):
            return table
    return {}


def name_of(data: dict[str, Any]) -> str | None:
    name = metadata(data).get("name")
    return name if isinstance(name, str) else None


def version_keys(data: dict[str, Any]) -> list[VersionKey]:
    """Where the file states a static version: `("project", "version")`, and Poetry's."""
    return [
        (*path, "version") for path in _TABLES if isinstance(_table(data, path).get("version"), str)
    ]


def version_of(data: dict[str, Any]) -> str | None:
    """The version it states (PEP 621's first); None for a dynamic one."""
    keys = version_keys(data)
    return str(_table(data, keys[0][:-1])["version"]) if keys else None


def classifiers_of(data: dict[str, Any]) -> list[str]:
    found = metadata(data).get("classifiers")
    return [str(c) for c in found] if isinstance(found, list) else []


def dependency_lines(data: dict[str, Any]) -> list[str]:
    """`[project] dependencies`: PEP 508 requirements."""
    found = _table(data, ("project",)).get("dependencies")
    return [str(line) for line in found] if isinstance(found, list) else []


def poetry_dependencies(data: dict[str, Any]) -> list[str]:
    """The names under `[tool.poetry.dependencies]` (Python itself left out); their `^1.2`
    constraints are Poetry's own syntax, not PEP 440 specifiers."""
    return [name for name in _table(data, ("tool", "poetry", "dependencies")) if name != "python"]

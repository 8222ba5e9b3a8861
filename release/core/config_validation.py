"""The config's tables validated by pydantic; what it rejects becomes one ConfigError at the
file and line of the key, with a hint (the closest known key for a typo). `locate`: the line
of a key in a TOML text."""

from __future__ import annotations

import difflib
import re
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from release.core.errors import ConfigError

T = TypeVar("T")


def validate(root: type[T], data: Any, path: Path, table: tuple[str, ...]) -> T:
    """`data` (the table at `table` in `path`) as an instance of the dataclass `root`."""
    from pydantic import TypeAdapter, ValidationError

    if not isinstance(data, dict) or "source" in data:
        data = {"source": None} if not isinstance(data, dict) else data
    try:
        return TypeAdapter(root).validate_python(data)
    except ValidationError as exc:
        raise config_error(exc.errors(), path, table, root) from None


_TYPE_NAMES = re.compile(r"^(str|int|bool|float|list\[.*\]|dict\[.*\]|none|function-.*|.*\[.*)$")


def config_error(errors: list[Any], path: Path, table: tuple[str, ...], root: type) -> ConfigError:
    """The first of pydantic's errors; `root`: the config class, for the known keys."""
    first = errors[0]
    loc: list[str] = []
    for part in first["loc"]:
        if isinstance(part, str) and _TYPE_NAMES.match(part):
            break  # union members ("str", "list[str]") are not keys
        loc.append(str(part))
    message = str(first["msg"]).removeprefix("Value error, ")
    named = re.match(r"^(\w+): (.*)$", message)
    if first["type"] == "value_error" and named:
        loc.append(named.group(1))  # our __post_init__ names the field it rejects
        message = named.group(2)
    key_path = ".".join((*table, *loc))
    line = locate(path.read_text(encoding="utf-8"), (*table, *loc))
    where = f"{path}:{line}" if line else str(path)
    if first["type"] in {"unexpected_keyword_argument", "extra_forbidden"}:
        known = _known_keys(root, tuple(loc[:-1]))
        close = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known keys here: {', '.join(known)}"
        return ConfigError(f"unknown key {key_path!r}", hint=hint, where=where)
    if first["type"] == "missing_argument":
        return ConfigError(
            f"missing key {key_path!r}", hint="add it; see `release init`", where=where
        )
    return ConfigError(
        f"invalid value for {key_path!r}: {message}",
        hint="see `release init` for a commented example of every key",
        where=where,
    )


def _known_keys(root: type, loc: tuple[str, ...]) -> list[str]:
    cls: Any = root
    for part in loc:
        hints = get_type_hints(cls)
        cls = hints.get(part)
        if not (isinstance(cls, type) and is_dataclass(cls)):
            return []
    return [f.name for f in fields(cls) if f.name != "source"]


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\-\"' ]+?)\s*=")


def locate(text: str, loc: tuple[str, ...]) -> int | None:
    """The 1-based line of a TOML text that defines the deepest part of `loc` (best effort)."""
    table: tuple[str, ...] = ()
    best: tuple[int, int] | None = None  # (depth matched, line)
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = tuple(p.strip().strip("\"'") for p in header.group(1).split("."))
            depth = _prefix_len(table, loc)
            if depth == len(table) and (best is None or depth > best[0]):
                best = (depth, number)
            continue
        key = _KEY.match(line)
        if key:
            dotted = tuple(p.strip().strip("\"'") for p in key.group(1).split("."))
            full = (*table, *dotted)
            depth = _prefix_len(full, loc)
            if depth == len(full) and (best is None or depth > best[0]):
                best = (depth, number)
    return best[1] if best else None


def _prefix_len(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n

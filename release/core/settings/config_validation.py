"""The config's tables validated by pydantic; what it rejects becomes one ConfigError at the
file and line of the key, with a hint (the closest known key for a typo). `locate`: the line
of a key in a TOML text."""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
import types
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from release.base.errors import ConfigError

T = TypeVar("T")


def validate(root: type[T], data: Any, path: Path, table: tuple[str, ...]) -> T:
    """`data` (the table at `table` in `path`) as an instance of the dataclass `root`."""
    plain = _plain(root, data)
    if plain is not _UNSURE:
        return cast(T, plain)
    from pydantic import TypeAdapter, ValidationError

    if not isinstance(data, dict) or "source" in data:
        data = {"source": None} if not isinstance(data, dict) else data
    try:
        # JSON in strict mode: "yes" is no boolean, yet tables still become the dataclasses
        # (validate_python in strict mode would ask for instances of them).
        return TypeAdapter(root).validate_json(json.dumps(data, default=str))
    except ValidationError as exc:
        raise config_error(exc.errors(), path, table, root) from None


_UNSURE: Any = object()


def _plain(kind: Any, value: Any) -> Any:
    """`value` as pydantic's strict validation would make it, without importing pydantic
    (a tenth of a second of `release next`), for the types the config's dataclasses use; or
    _UNSURE for anything else, or anything pydantic might reject: then pydantic validates,
    and words the error. Nothing is accepted here that pydantic would not accept alike."""
    if kind is str or kind is bool:
        return value if type(value) is kind else _UNSURE
    if kind is int:
        return value if type(value) is int else _UNSURE
    if kind is float:
        if type(value) is int or (type(value) is float and math.isfinite(value)):
            return float(value)
        return _UNSURE
    origin, args = get_origin(kind), get_args(kind)
    if origin is Literal:
        return value if any(type(value) is type(a) and value == a for a in args) else _UNSURE
    if origin is Union or origin is types.UnionType:
        for member in args:
            found = _plain(member, value)
            if found is not _UNSURE:
                return found
        return _UNSURE
    if origin is list and type(value) is list:
        items = [_plain(args[0], item) for item in value]
        return _UNSURE if any(item is _UNSURE for item in items) else items
    if origin is dict and type(value) is dict and args[0] is str:
        entries = {key: _plain(args[1], item) for key, item in value.items()}
        return _UNSURE if any(item is _UNSURE for item in entries.values()) else entries
    if isinstance(kind, type) and is_dataclass(kind) and type(value) is dict:
        return _plain_dataclass(kind, value)
    return _UNSURE


def _plain_dataclass(kind: type, value: dict[str, Any]) -> Any:
    if getattr(kind, "__pydantic_config__", None) != {"extra": "forbid", "strict": True}:
        return _UNSURE
    known = {f.name: f for f in fields(kind)}
    if any(not f.init for f in known.values()) or any(key not in known for key in value):
        return _UNSURE
    required = {
        name for name, f in known.items() if f.default is MISSING and f.default_factory is MISSING
    }
    if not required <= value.keys():
        return _UNSURE
    hints = _hints(kind)
    given = {key: _plain(hints[key], item) for key, item in value.items()}
    if any(item is _UNSURE for item in given.values()):
        return _UNSURE
    try:
        return kind(**given)  # its __post_init__ checks what types cannot say
    except Exception:  # pydantic says it again, in its words
        return _UNSURE


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


_TYPE_NAMES = re.compile(r"^(str|int|bool|float|list\[.*\]|dict\[.*\]|none|function-.*|.*\[.*)$")

_EXPECTED = {
    "bool_type": "a boolean: write true or false, without quotes",
    "int_type": "a whole number (without quotes)",
    "float_type": "a number (without quotes)",
    "string_type": "a string (in quotes)",
}


def config_error(errors: list[Any], path: Path, table: tuple[str, ...], root: type) -> ConfigError:
    """The first of pydantic's errors; `root`: the config class, for the known keys."""
    first = errors[0]
    loc: list[str] = []
    for part in first["loc"]:
        if isinstance(part, str) and _TYPE_NAMES.match(part):
            break  # union members ("str", "list[str]") are not keys
        loc.append(str(part))
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] in _EXPECTED:  # strict types: say what was written and what is wanted
        given = json.dumps(first.get("input"), default=str)
        message = f"{given} is not {_EXPECTED[first['type']]}"
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

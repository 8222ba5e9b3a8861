"""docs/configuration.md documents every config key, each in its own section of the example."""

from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

from release.core.settings import config

CONFIGURATION = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def documented() -> dict[str, set[str]]:
    """Keys per table in the configuration page's example, commented-out ones included."""
    text = CONFIGURATION.read_text()
    block = text[text.index("```toml") : text.index("```\n", text.index("```toml"))]
    keys: dict[str, set[str]] = {}
    table = ""
    for line in block.splitlines():
        header = re.match(r"^#?\s*\[\[?([\w.]+)\]\]?", line)
        key = re.match(r"^#?\s*(\w+)\s*=", line)
        if header:
            table = header.group(1)
            keys.setdefault(table, set())
        elif key:
            keys.setdefault(table, set()).add(key.group(1))
    return keys


# Tables of any keys (a dict field): only the table must be there.
FREE = {"version.bump", "version.tag_formats", "changelog.package_paths"}


def expected() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            kind = hints[field.name]
            inner = [a for a in typing.get_args(kind) if dataclasses.is_dataclass(a)]
            inner += [b for a in typing.get_args(kind) for b in typing.get_args(a)]
            nested = [t for t in [kind, *inner] if dataclasses.is_dataclass(t)]
            if typing.get_origin(kind) is dict:
                tables.setdefault(f"{prefix}.{field.name}", set())
            elif nested:
                walk(typing.cast(type, nested[0]), f"{prefix}.{field.name}".strip("."))
            elif prefix:
                tables.setdefault(prefix, set()).add(field.name)
        if prefix:
            tables.setdefault(prefix, set())

    walk(config.Config, "")
    tables.pop("source", None)
    return tables


def test_the_configuration_page_documents_every_config_key() -> None:
    found, wanted = documented(), expected()
    missing = {t: sorted(keys - found.get(t, set())) for t, keys in wanted.items()}
    assert {t: k for t, k in missing.items() if k} == {}
    assert set(wanted) <= set(found)  # every table, [version.bump] too
    unknown = {t: sorted(keys - wanted.get(t, set())) for t, keys in found.items() if t not in FREE}
    assert {t: k for t, k in unknown.items() if k} == {}

"""The options of the commands that start without typer (`next`, `changelog`), declared once:
release.cli.app makes its typer options from these, and release.cli.entry reads argv with
them. Importing this costs nothing (no typer, no click).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Option:
    """One option of a command: typer's declaration and the fast path's parser alike."""

    names: tuple[str, ...]  # the long name first: "--output", "-o"
    help: str
    flag: bool = False  # takes no value; True when given
    convert: Callable[[str], Any] = str

    @property
    def dest(self) -> str:
        return self.names[0].removeprefix("--").replace("-", "_")

    def typer(self) -> Any:
        """The same option for typer (imported here only when the full CLI is built)."""
        import typer

        return typer.Option(*self.names, help=self.help)


PRE = Option(("--pre",), "Make a prerelease with this label, e.g. rc.")
JSON = Option(("--json",), "Print one JSON object.", flag=True)
UNRELEASED = Option(("--unreleased",), "Only the changes since the last release.", flag=True)
OUTPUT = Option(("--output", "-o"), "Write to this file, not stdout.", convert=Path)
PACKAGE = Option(("--package",), "Independent versions: only this package's changelog.")

FAST: dict[str, tuple[Option, ...]] = {
    "next": (PRE, JSON),
    "changelog": (UNRELEASED, OUTPUT, PACKAGE),
}


def parse(options: tuple[Option, ...], args: list[str]) -> dict[str, Any] | None:
    """The values `args` give these options (defaults: None, or False for a flag), or None
    when `args` are anything else (`--help`, a typo, a missing value): typer then reads them
    and says what is wrong, so errors and help come from one place."""
    by_name = {name: option for option in options for name in option.names}
    values: dict[str, Any] = {o.dest: False if o.flag else None for o in options}
    rest = list(args)
    while rest:
        name, given, value = rest.pop(0).partition("=")
        option = by_name.get(name)
        if option is None:
            return None
        if option.flag:
            if given:
                return None
            values[option.dest] = True
            continue
        if not given:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        if not value:
            return None
        values[option.dest] = option.convert(value)
    return values

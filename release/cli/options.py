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
    repeat: bool = False  # may be given again: a list of the values, [] without one

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
SKIP = Option(("--skip",), "Leave out this step.", repeat=True)
ONLY = Option(("--only",), "Run only this step.", repeat=True)
PACKAGES = Option(
    ("--package",),
    "Independent versions: release this package (repeatable); VERSION is its version.",
    repeat=True,
)
TARGETS_ON_RUNNERS = Option(
    ("--targets-on-runners",),
    "Each build target's toolchain is checked on the runner that builds it (`release build "
    "--target`, the build matrix), not here: only what holds on any machine.",
    flag=True,
)

FAST: dict[str, tuple[Option, ...]] = {
    "next": (PRE, JSON),
    "changelog": (UNRELEASED, OUTPUT, PACKAGE),
    "verify": (PRE, JSON, SKIP, ONLY, PACKAGES, TARGETS_ON_RUNNERS),
}
# The one argument a command takes besides its options, by the name it is read under.
ARGUMENT: dict[str, str] = {"verify": "version"}


def parse(
    options: tuple[Option, ...], args: list[str], argument: str | None = None
) -> dict[str, Any] | None:
    """The values `args` give these options (defaults: None, False for a flag, [] for a
    repeatable one) and the one `argument` (None without it), or None when `args` are
    anything else (`--help`, a typo, a missing value, a second argument): typer then reads
    them and says what is wrong, so errors and help come from one place."""
    by_name = {name: option for option in options for name in option.names}
    values: dict[str, Any] = {o.dest: _default(o) for o in options}
    if argument is not None:
        values[argument] = None
    rest = list(args)
    while rest:
        if argument is not None and values[argument] is None and not rest[0].startswith("-"):
            values[argument] = rest.pop(0)
            continue
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
        if option.repeat:
            values[option.dest].append(option.convert(value))
        else:
            values[option.dest] = option.convert(value)
    return values


def _default(option: Option) -> Any:
    if option.repeat:
        return []
    return False if option.flag else None

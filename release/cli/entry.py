"""The console entry point. `release next` and `release changelog` are answered without
building the typer app: scripts and CI call them, and typer alone costs about 0.1 s of
start-up. Anything else, `--help` included, goes to the full CLI in release.cli.app."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from release.core.errors import ReleaseError
from release.core.secrets import redact, register_known_from_env


def report_error(exc: ReleaseError) -> None:
    """One line with the place and the message, the hint under it, then the tool's words."""
    where = f"{exc.where}: " if exc.where else ""
    sys.stderr.write(redact(f"error: {where}{exc.message}\n"))
    _annotate(exc)
    if exc.hint:
        sys.stderr.write(redact(f"  hint: {exc.hint}\n"))
    if exc.detail:
        sys.stderr.write(redact("  " + exc.detail.replace("\n", "\n  ") + "\n"))


def _annotate(exc: ReleaseError) -> None:
    """In GitHub Actions, an error annotation on the config file and line it points at."""
    from release.core import actions

    if not actions.active():
        return
    file, line = exc.where, None
    if exc.where and exc.where.rpartition(":")[2].isdigit():
        file, _, number = exc.where.rpartition(":")
        line = int(number)
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    actions.error(redact(message), file=file, line=line)


def _parse_next(args: list[str]) -> tuple[str | None, bool] | None:
    """`next [--pre LABEL] [--json]`, or None for anything else (typer then handles it)."""
    pre: str | None = None
    json = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--json":
            json = True
        elif arg == "--pre" and rest:
            pre = rest.pop(0)
        elif arg.startswith("--pre="):
            pre = arg.split("=", 1)[1]
        else:
            return None
    return pre, json


def _parse_changelog(args: list[str]) -> tuple[bool, Path | None] | None:
    """`changelog [--unreleased] [--output FILE | -o FILE]`, or None for anything else."""
    unreleased = False
    output: Path | None = None
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--unreleased":
            unreleased = True
        elif arg in ("--output", "-o") and rest and not rest[0].startswith("-"):
            output = Path(rest.pop(0))
        elif arg.startswith("--output=") and len(arg) > len("--output="):
            output = Path(arg.split("=", 1)[1])
        else:
            return None
    return unreleased, output


def _fast(args: list[str]) -> Callable[[], None] | None:
    """The command to run without typer, or None when typer should parse `args`."""
    if args[:1] == ["next"] and (found := _parse_next(args[1:])) is not None:
        from release.cli.next import print_next

        return lambda: print_next(found[0], json=found[1])
    if args[:1] == ["changelog"] and (wanted := _parse_changelog(args[1:])) is not None:
        from release.commands.changelog import write_changelog

        return lambda: write_changelog(Path.cwd(), unreleased=wanted[0], output=wanted[1])
    return None


def main() -> None:
    register_known_from_env()
    command = _fast(sys.argv[1:])
    try:
        if command is None:
            from release.cli.app import app

            app()  # standalone: usage errors exit 2, which is our "bad input" too
        else:
            command()
    except ReleaseError as exc:
        report_error(exc)
        sys.exit(int(exc.exit_code))

"""The console entry point. `release next`, `changelog` and `verify` are answered without
building the typer app: scripts and CI call them, and typer alone costs about 0.1 s of
start-up (with pydantic, which it builds a validator of each option with). Their options are
declared once (release.cli.options) for both paths; anything the declarations do not
describe, `--help` included, goes to the full CLI in release.cli.app."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from release.base.errors import ReleaseError
from release.base.secrets import redact, register_known_from_env

if TYPE_CHECKING:
    from release.commands.result import Result


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
    from release.base import actions

    if not actions.active():
        return
    file, line = exc.where, None
    if exc.where and exc.where.rpartition(":")[2].isdigit():
        file, _, number = exc.where.rpartition(":")
        line = int(number)
    message = exc.message + (f" ({exc.hint})" if exc.hint else "")
    actions.error(redact(message), file=file, line=line)


def _fast(args: list[str]) -> Callable[[], None] | None:
    """The command to run without typer, or None when typer should parse `args`. The options
    are release.cli.options' declarations, the same typer's commands are made from."""
    from release.cli import options

    declared = options.FAST.get(args[0]) if args else None
    found = options.parse(declared, args[1:], options.ARGUMENT.get(args[0])) if declared else None
    if found is None:
        return None
    if args[0] == "next":
        from release.commands.next import next_version

        return lambda: _show(next_version(Path.cwd(), found["pre"]), json=found["json"])
    if args[0] == "verify":
        from release.commands.verify import verify

        return lambda: _show(
            verify(
                Path.cwd(),
                found["version"],
                found["pre"],
                skip=found["skip"],
                only=found["only"],
                packages=found["package"],
                targets_on_runners=found["targets_on_runners"],
            ),
            json=found["json"],
        )
    from release.commands.changelog import write_changelog

    return lambda: _show(
        write_changelog(
            Path.cwd(),
            unreleased=found["unreleased"],
            output=found["output"],
            package=found["package"],
        ),
        json=False,
    )


def _show(result: Result, *, json: bool) -> None:
    from release.cli.render import show

    show(result, json=json)
    if result.exit_code:
        sys.exit(int(result.exit_code))


def main() -> None:
    # The program itself (the console script, `python -m release`), not a caller in-process.
    program = sys._getframe(1).f_globals.get("__name__") == "__main__"
    register_known_from_env()
    command = _fast(sys.argv[1:])
    try:
        if command is None:
            from release.cli.app import app

            app()  # standalone: usage errors exit 2, which is our "bad input" too
        else:
            command()
            if program and sys.argv[1] == "next":
                _leave_now()
    except ReleaseError as exc:
        report_error(exc)
        sys.exit(int(exc.exit_code))


def _leave_now() -> None:
    """`release next` answered and changed nothing: once its output is flushed, nothing is
    left to finish (no thread, no atexit handler, no file open for writing), and the
    interpreter's teardown of its modules would cost 8 ms of a 130 ms answer."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a closed pipe: Python's own exit reports it, as for any command
    os._exit(0)

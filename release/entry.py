"""The console entry point. `release next` is answered without building the typer app:
scripts and CI call it to compute a version, and typer alone costs about 0.1 s of start-up.
Anything else, `--help` included, goes to the full CLI in release.cli."""

from __future__ import annotations

import sys
from pathlib import Path

from release.errors import ReleaseError
from release.secrets import redact, register_known_from_env


def print_next(pre: str | None, *, json: bool) -> None:
    from release.planning import plan

    ctx = plan(Path.cwd(), None, pre)
    if ctx.version is None:
        sys.stderr.write(f"no release: {ctx.reason}\n")  # stdout stays empty: nothing to release
        return
    if json:
        from release.report import emit_json, version_dict

        emit_json(version_dict(ctx))
    else:
        sys.stdout.write(f"{ctx.version}\n")


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
    from release import actions

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


def main() -> None:
    register_known_from_env()
    args = sys.argv[1:]
    parsed = _parse_next(args[1:]) if args[:1] == ["next"] else None
    try:
        if parsed is None:
            from release.cli import app

            app()  # standalone: usage errors exit 2, which is our "bad input" too
        else:
            print_next(parsed[0], json=parsed[1])
    except ReleaseError as exc:
        report_error(exc)
        sys.exit(int(exc.exit_code))

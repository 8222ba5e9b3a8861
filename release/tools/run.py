"""One seam for running programs: argument lists only, never a shell, output redacted in errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from release.base.errors import BadInput, ToolError
from release.base.secrets import redact, withheld


class MissingTool(BadInput):
    """A program the release needs is not installed; nothing was changed."""


@dataclass(frozen=True)
class Completed:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    raw: bytes = b""  # stdout undecoded, when asked (`raw=True`; then `stdout` is empty)


def which(name: str, *, own_first: bool = False) -> str | None:
    """Find a program on PATH, or next to this interpreter (a venv's bin/ that is not on PATH).
    `own_first`: the copy installed with release-toolkit wins over PATH (a Python
    dependency that ships a binary, whose version our requirements pin)."""
    beside = Path(sys.executable).parent / name
    own = str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None
    if own_first and own:
        return own
    import shutil  # here: with tempfile's archivers, a millisecond `release next` need not pay

    return shutil.which(name) or own


def run(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    input: str | bytes | None = None,
    check: bool = True,
    what: str | None = None,
    withhold_secrets: bool = False,
    raw: bool = False,
) -> Completed:
    """Run a program and capture its output; raise ToolError with redacted output on failure.

    `env` is added to the current environment; tokens travel there, never in `args`. `raw`:
    stdout kept as bytes (megabytes of JSON passed from one program to another undecoded).
    """
    full_env = None
    if env is not None or withhold_secrets:
        full_env = dict(os.environ)
        full_env.update(env or {})
    if withhold_secrets and full_env is not None:
        full_env = {k: v for k, v in full_env.items() if not withheld(k, v)}
    try:
        # Bytes, decoded here: text mode's newline translation scans megabytes of git-cliff
        # JSON twice (0.3 s of a whole changelog), for text that has no \r in nearly all cases.
        proc = subprocess.run(
            list(args),
            cwd=cwd,
            env=full_env,
            input=input.encode("utf-8", errors="replace") if isinstance(input, str) else input,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise MissingTool(
            f"{args[0]} is not installed",
            hint=f"install {args[0]} and make sure it is on PATH",
        ) from exc
    stdout, stderr = "" if raw else text_of(proc.stdout), text_of(proc.stderr)
    done = Completed(tuple(args), proc.returncode, stdout, stderr, proc.stdout if raw else b"")
    if check and proc.returncode != 0:
        label = what or " ".join(Path(args[0]).name if i == 0 else a for i, a in enumerate(args))
        detail = _without_backtrace(_ANSI.sub("", stderr.strip() or stdout.strip()))
        raise ToolError(
            redact(f"{label} failed: {headline(detail, proc.returncode)}"),
            detail=redact("\n".join(detail[-10:])),
        )
    return done


def text_of(data: bytes) -> str:
    """What text mode reads: UTF-8 (invalid bytes replaced: a commit message with invalid
    UTF-8 is read, not fatal), universal newlines."""
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # git-cliff colours its log even into a pipe


def _without_backtrace(text: str) -> list[str]:
    """The output up to a Rust backtrace: the cause, not the frames."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.strip().lower().startswith("stack backtrace:"):
            return lines[:number]
    return lines


_ERROR_LINE = re.compile(r"^(error|fatal)(\[\w+\])?:", re.IGNORECASE)


def headline(lines: list[str], returncode: int) -> str:
    """The line that says what went wrong: the first `error:`/`fatal:` one (git and cargo end
    with advice such as "and the repository exists." or a `help:` line), a Rust panic's
    message (git-cliff ends with "note: ... RUST_BACKTRACE"), else the last."""
    for number, line in enumerate(lines):
        if _ERROR_LINE.match(line.strip()):
            return line.strip()
        if " panicked at " in line and number + 1 < len(lines):  # a Rust program's panic
            return lines[number + 1].strip()
    return lines[-1].strip() if lines else f"exit status {returncode}"

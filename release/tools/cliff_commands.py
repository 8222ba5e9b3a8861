"""The programs a cliff.toml runs (`replace_command` of commit_preprocessors and
postprocessors, through `sh -c`), and which of them are not installed: git-cliff skips every
commit such a command fails on, and still succeeds."""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release.tools.run import which

# sh's own commands: nothing to find on PATH.
_BUILTINS = frozenset(
    {"echo", "printf", "test", "[", "true", "false", "read", "cd", "exec", "export", "set", ":"}
)
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class MissingCommand:
    program: str
    command: str
    line: int | None  # in the cliff.toml


def commands(data: dict[str, Any]) -> list[str]:
    """The shell commands of a parsed cliff.toml, in file-independent order."""
    found = []
    for section, key in (("git", "commit_preprocessors"), ("changelog", "postprocessors")):
        table = data.get(section, {})
        items = table.get(key, []) if isinstance(table, dict) else []
        for item in items if isinstance(items, list) else []:
            command = item.get("replace_command") if isinstance(item, dict) else None
            if isinstance(command, str) and command.strip():
                found.append(command)
    return found


def programs(command: str) -> list[str]:
    """The programs a shell command line starts (the first word of each pipeline part)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: sh would fail too, git-cliff says so
        tokens = command.split()
    found, starting = [], True
    for token in tokens:
        if token and set(token) <= set("|&;()"):
            starting = True  # a separator: the next word starts a command
        elif starting and not _ASSIGNMENT.match(token):  # VAR=value program ...
            starting = False
            if token not in _BUILTINS and not token.startswith("$") and token not in "{}":
                found.append(token)
    return found


def _installed(program: str, root: Path) -> bool:
    if "/" in program:
        path = Path(program) if Path(program).is_absolute() else root / program
        return path.is_file() and os.access(path, os.X_OK)
    return which(program) is not None


def missing(config: Path, data: dict[str, Any]) -> list[MissingCommand]:
    """The commands of `config` (parsed: `data`) whose programs are not installed."""
    lines = config.read_text(encoding="utf-8").splitlines()
    result = []
    for command in commands(data):
        for program in programs(command):
            if not _installed(program, config.parent):
                line = next(
                    (i for i, text in enumerate(lines, 1) if program in text and "command" in text),
                    next((i for i, text in enumerate(lines, 1) if program in text), None),
                )
                result.append(MissingCommand(program, command, line))
    return result

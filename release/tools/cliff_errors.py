"""What a failed git-cliff run says, told in full: the cause (a panic's message and its
"Caused by" chain, an ERROR line and what follows), never only its last line, which is
advice about RUST_BACKTRACE. Two causes get a hint of their own: a template written for a
newer git-cliff, and a remote (`[remote.github]`, ...) that could not be reached."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Filters and context fields by the git-cliff release that brought them (git-cliff's
# git-cliff-core/src/template.rs and commit.rs; Tera's own filters are older than all).
FILTERS_SINCE = {
    "upper_first": "0.1.0",
    "split_regex": "2.11.0",
    "replace_regex": "2.11.0",
    "find_regex": "2.11.0",
    "commit_groups": "2.14.0",
    "group_by_scope": "2.14.0",
}
FIELDS_SINCE = {"statistics": "2.13.0"}  # commit.statistics

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOG = re.compile(r"^\s*(INFO|WARN|DEBUG|TRACE)\s+\S+\s+>")
_ERROR = re.compile(r"^\s*ERROR\s+\S+\s+>\s*")
_PANIC_END = re.compile(r"^(stack backtrace:|Stack backtrace:|note: )")
_FILTER = re.compile(r"Filter '(\w+)' not found")
_FIELD = re.compile(r"Variable `([\w.]+)` not found")
_REMOTE = re.compile(r"Could not get (\w+) metadata")
_REMOTE_TABLES = {"azure_devops": "azure_devops", "github": "github", "gitlab": "gitlab"}


@dataclass(frozen=True)
class Explained:
    message: str  # one line: what went wrong
    hint: str | None
    cause: str  # git-cliff's own words, several lines


def cause(stderr: str) -> list[str]:
    """The lines that say why git-cliff failed, without colours, log lines and backtraces."""
    lines = [_ANSI.sub("", line).rstrip() for line in stderr.splitlines()]
    for number, line in enumerate(lines):
        if " panicked at " in line:
            found = []
            for rest in lines[number + 1 :]:
                if _PANIC_END.match(rest.strip()):
                    break
                found.append(rest)
            return _trimmed(found) or [line]
        if _ERROR.match(line):
            tail = [_ERROR.sub("", line), *lines[number + 1 :]]
            return _trimmed([t for t in tail if not _LOG.match(t)])
    return _trimmed([line for line in lines if not _LOG.match(line)])


def _trimmed(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _older(installed: str, needed: str) -> bool:
    def key(text: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", text)[:3])

    return bool(key(installed)) and key(installed) < key(needed)


def explain(stderr: str, installed: str, config_name: str) -> Explained:
    lines = cause(stderr)
    text = "\n".join(lines)
    # "Template render error:" alone says nothing: the first lines together say what.
    first = " ".join(line.strip() for line in lines[:3] if line.strip())[:300] or "failed"
    if (match := _FILTER.search(text)) is not None:
        return _newer("filter", match.group(1), FILTERS_SINCE, installed, config_name, text)
    if (match := _FIELD.search(text)) is not None:
        name = match.group(1).split(".")
        field = next((part for part in name if part in FIELDS_SINCE), None)
        if field is not None:
            return _newer("field", field, FIELDS_SINCE, installed, config_name, text)
    if (match := _REMOTE.search(text)) is not None:
        remote = match.group(1).lower()
        table = _REMOTE_TABLES.get(remote, remote)
        return Explained(
            f"git-cliff could not reach the {table} API of [remote.{table}] in {config_name}: "
            + lines[0].strip(),
            f"render without the remote: set `offline = true` under [remote] in {config_name}, "
            "or run with GIT_CLIFF_OFFLINE=true; if it is reachable, check the repository "
            f"named in [remote.{table}] and the token ({table.upper()}_TOKEN)",
            text,
        )
    return Explained(first, None, text)


def _newer(
    kind: str, name: str, table: dict[str, str], installed: str, config_name: str, text: str
) -> Explained:
    needed = table.get(name)
    if needed is None:
        return Explained(
            f"{config_name} uses the {kind} '{name}', which no git-cliff release has",
            "check its spelling in the templates (git-cliff's filters: "
            + ", ".join(sorted(FILTERS_SINCE))
            + ")",
            text,
        )
    if not _older(installed, needed):
        return Explained(" ".join(text.splitlines()[:3]), None, text)
    return Explained(
        f"{config_name} uses the {kind} '{name}' of git-cliff {needed} or newer; "
        f"the installed git-cliff is {installed}",
        f"install git-cliff>={needed} (pip install -U 'git-cliff>={needed}'), "
        f"or rewrite the template without '{name}'",
        text,
    )

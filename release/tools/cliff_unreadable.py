"""Commits git-cliff cannot read: a message that is not valid UTF-8 reaches git-cliff (libgit2)
as no message at all, so it would be counted as non-conventional with the text '' and left
out of the changelog. Git reads it, decoded with replacement characters (tools/run.py); the
commit is then parsed here as the conventional-commits spec says, and handed to git-cliff's
templates with `--with-commit` (its id set back on it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from release.tools.commit import Commit
from release.tools.run import run

_HEADER = re.compile(
    r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]*)\))?(?P<bang>!)?: (?P<desc>.+)"
)
_BREAKING = re.compile(r"^BREAKING[ -]CHANGE: ", re.MULTILINE)


def unread(commit: Commit) -> bool:
    """git-cliff gave this commit no message (a message is never empty otherwise)."""
    return not commit.summary and not commit.conventional


def by_id(repo: Path, ids: Sequence[str], form: str) -> str:
    """git's `form` of each of `ids` (any number: read on stdin), each record ended by NUL
    (`-z`), no signature checked into the output; "" for no id (git would read HEAD)."""
    if not ids:
        return ""
    args = ["git", "-c", "log.showSignature=false", "log", "-z", f"--format={form}"]
    args += ["--no-walk=unsorted", "--stdin"]
    return run(args, cwd=repo, input="".join(f"{i}\n" for i in ids), what="git log").stdout


def whole_messages(repo: Path, ids: Sequence[str]) -> dict[str, str]:
    """The whole messages of `ids`, untrimmed, as git reads them (invalid bytes become
    U+FFFD; a message in the encoding its commit names re-encoded): a record ends with NUL,
    which `%B` never holds."""
    records = (record.partition("\n") for record in by_id(repo, ids, "%H%n%B").split("\x00"))
    return {oid: message for oid, _, message in records if oid}


def messages(repo: Path, ids: list[str]) -> dict[str, str]:
    """The full messages of `ids`, as git reads them (invalid bytes become U+FFFD)."""
    return {oid: message.strip("\n") for oid, message in whole_messages(repo, ids).items()}


def conventional(message: str) -> bool:
    """Whether `message` opens as a conventional commit does."""
    return _HEADER.match(message.split("\n", 1)[0]) is not None


def read_again(repo: Path, commits: list[Commit]) -> list[Commit]:
    """`commits` with those git-cliff could not read parsed from git's reading."""
    missing = [c.id for c in commits if unread(c)]
    if not missing:
        return commits
    found = messages(repo, missing)
    return [parsed(c, found[c.id]) if c.id in found else c for c in commits]


def parsed(commit: Commit, message: str) -> Commit:
    summary = message.splitlines()[0] if message else ""
    header = _HEADER.match(summary)
    if header is None:
        return replace(commit, description=summary, summary=summary, unreadable=message)
    return replace(
        commit,
        type=header.group("type").lower(),
        scope=header.group("scope"),
        description=header.group("desc"),
        breaking=bool(header.group("bang")) or bool(_BREAKING.search(message)),
        summary=summary,
        unreadable=message,
    )


def into_release(releases: list[dict[str, Any]], added: list[Commit]) -> list[dict[str, Any]]:
    """git-cliff puts `--with-commit` messages in an unreleased release of their own: move
    them into the release being rendered (the tagged one), with their ids back on them."""
    tagged = [r for r in releases if r.get("version")]
    if not tagged:
        return releases
    ids = {c.unreadable: c.id for c in added}
    extra: list[dict[str, Any]] = []
    for release in releases:
        if not release.get("version"):
            for commit in release.get("commits") or []:
                if not commit.get("id"):
                    commit["id"] = ids.get(commit.get("raw_message"), "")
                extra.append(commit)
    tagged[0]["commits"] = [*extra, *(tagged[0].get("commits") or [])]
    return tagged

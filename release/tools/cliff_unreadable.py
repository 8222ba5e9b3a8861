"""Commits git-cliff cannot read: a message that is not valid UTF-8 reaches git-cliff (libgit2)
as no message at all, so it would be counted as non-conventional with the text '' and left
out of the changelog. Git reads it, decoded with replacement characters (tools/run.py); the
commit is then parsed here as the conventional-commits spec says, and handed to git-cliff's
templates with `--with-commit` (its id set back on it)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from release.tools.commit import Commit
from release.tools.run import run

_HEADER = re.compile(
    r"^(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]*)\))?(?P<bang>!)?: (?P<desc>.+)"
)
_BREAKING = re.compile(r"^BREAKING[ -]CHANGE: ", re.MULTILINE)
_SEP = "\x1e"  # a record separator no message carries


def unread(commit: Commit) -> bool:
    """git-cliff gave this commit no message (a message is never empty otherwise)."""
    return not commit.summary and not commit.conventional


def messages(repo: Path, ids: list[str]) -> dict[str, str]:
    """The full messages of `ids`, as git reads them (invalid bytes become U+FFFD)."""
    out = run(
        ["git", "show", "-s", "--no-color", f"--format={_SEP}%H%n%B", *ids],
        cwd=repo,
        what="git show",
    ).stdout
    found = {}
    for record in out.split(_SEP)[1:]:
        commit, _, message = record.partition("\n")
        found[commit.strip()] = message.strip("\n")
    return found


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


_KEPT = ("id", "author", "committer", "merge_commit")  # what libgit2 did read


def rows(
    root: Path, config: Path, data: dict[str, Any], marked: dict[str, bytes]
) -> dict[str, bytes | None] | None:
    """The tag-less parse's rows of `marked` (cliff_recover: commits git-cliff read with no
    message) with their message parsed from git's reading (`parsed_commits`), their id,
    author, committer and merge flag as git-cliff read them. None for a commit the
    project's parsers skip; None for all when git-cliff failed."""
    parsed = parsed_commits(root, config, data, list(marked))
    if parsed is None:
        return None
    found: dict[str, bytes | None] = {}
    for oid, fresh in parsed.items():
        if fresh is not None:
            read = json.loads(marked[oid])
            fresh.update({key: read[key] for key in _KEPT if key in read})
        found[oid] = None if fresh is None else _compact(fresh)
    return found


def _compact(commit: dict[str, Any]) -> bytes:
    return json.dumps(commit, ensure_ascii=False, separators=(",", ":")).encode()


def parsed_commits(
    root: Path, config: Path, data: dict[str, Any], ids: list[str], signed: bool = False
) -> dict[str, dict[str, Any] | None] | None:
    """Each of `ids` as git-cliff parses its message from git's reading with `config`
    (`--with-commit`, as the unreleased section's): a commit of the tag-less parse's shape
    (cliff_context.COMMITS_BODY), None where the project's parsers skip it (also by its id);
    None for all when git-cliff failed. `signed`: its id, author, committer and merge flag
    read from git too."""
    found_messages = _whole_messages(root, ids)
    parsed = _parse(root, config, [found_messages[oid] for oid in ids])
    if parsed is None:
        return None
    skipped = _skipped_by_sha(data)
    found = {}
    for oid, commit in zip(ids, parsed, strict=True):
        if any(oid.startswith(sha) for sha in skipped):
            commit = None
        found[oid] = commit
    if signed:
        for oid, read in _signatures(root, [o for o, c in found.items() if c is not None]).items():
            commit = found[oid]
            if commit is not None:
                commit.update(read)
    return found


def _whole_messages(root: Path, ids: list[str]) -> dict[str, str]:
    """Each message as git-cliff would read it were it readable: whole (a record of `-z`
    ends with NUL, `%B` holding none), trimmed at its end as Rust trims; invalid bytes as
    U+FFFD, a message in the encoding its commit names re-encoded by git."""
    from release.tools.cliff_walk import RUST_WHITESPACE

    args = ["git", "-c", "log.showSignature=false", "log", "-z", "--format=%H%n%B"]
    args += ["--no-walk=unsorted", "--stdin"]  # any number of ids
    out = run(args, cwd=root, input="".join(f"{i}\n" for i in ids), what="git log").stdout
    records = (record.partition("\n") for record in out.split("\x00"))
    return {oid: message.rstrip(RUST_WHITESPACE) for oid, _, message in records if oid}


def _signatures(root: Path, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each commit's id, author, committer and merge flag as git-cliff writes them."""
    if not ids:
        return {}
    fields = "%H%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%P"
    args = ["git", "-c", "log.showSignature=false", "log", "-z", f"--format={fields}"]
    args += ["--no-walk=unsorted", "--stdin"]
    out = run(args, cwd=root, input="".join(f"{i}\n" for i in ids), what="git log").stdout
    values = out.split("\x00")
    found = {}
    for at in range(0, len(values) - 7, 8):
        oid, *signed, parents = values[at : at + 8]
        found[oid] = {
            "id": oid,
            "author": {"name": signed[0], "email": signed[1], "timestamp": int(signed[2])},
            "committer": {"name": signed[3], "email": signed[4], "timestamp": int(signed[5])},
            "merge_commit": len(parents.split()) > 1,
        }
    return found


def _parse(root: Path, config: Path, messages: list[str]) -> list[dict[str, Any] | None] | None:
    """git-cliff's parse of each message (None: skipped). One run parses a group, in the
    order given; where its parsers skip some, which is unknown: each half again."""
    from release.tools import cliff, cliff_context, cliff_read

    with cliff_read.rendering(config, cliff_context.COMMITS_BODY) as reading:
        args = [cliff.binary(), "--config", str(reading), "--tag-pattern", cliff_context.NO_TAG]

        def parse(group: list[str]) -> list[dict[str, Any]] | None:
            extra = [arg for message in group for arg in ("--with-commit", message)]
            command = [*args, "--sort", "oldest", *extra, "--", "HEAD..HEAD"]
            output = cliff_context.run_cliff(command, root)
            if output is None:
                return None
            lines = output.decode("utf-8", errors="replace").splitlines()
            return [json.loads(line) for line in lines if line.strip()]

        def each(group: list[str]) -> list[dict[str, Any] | None] | None:
            parsed = parse(group)
            if parsed is None or len(parsed) == len(group):
                return list(parsed) if parsed is not None else None
            if not parsed:
                return [None] * len(group)  # the parsers skip them all
            halves = each(group[: len(group) // 2]), each(group[len(group) // 2 :])
            return None if None in halves else [*(halves[0] or []), *(halves[1] or [])]

        found: list[dict[str, Any] | None] = []
        for start in range(0, len(messages), _PER_RUN):
            parsed = each(messages[start : start + _PER_RUN])
            if parsed is None:
                return None
            found += parsed
        return found


_PER_RUN = 64  # messages on one git-cliff command line


def _skipped_by_sha(data: dict[str, Any]) -> list[str]:
    """The commits the project's parsers skip by id (git-cliff's `--with-commit` message has
    none for them to match)."""
    parsers = data.get("git", {}).get("commit_parsers") or []
    return [str(p["sha"]) for p in parsers if p.get("sha") and p.get("skip")]

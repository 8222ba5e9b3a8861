"""git-cliff's parse of the messages it cannot read (release.tools.cliff_unreadable), from
git's reading: for the whole changelog (release.tools.cliff_recover), each such commit as a
row of the tag-less parse (release.tools.cliff_context.COMMITS_BODY), parsed by the project's
cliff.toml through `--with-commit`, its id, author, committer and merge flag read from git."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from release.tools import cliff_unreadable

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
    parsed = _parse(root, config, data, [found_messages[oid] for oid in ids])
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
    """Each message as git-cliff would read it were it readable: whole, trimmed at its end
    as Rust trims."""
    from release.tools.cliff_walk import RUST_WHITESPACE

    found = cliff_unreadable.whole_messages(root, ids)
    return {oid: message.rstrip(RUST_WHITESPACE) for oid, message in found.items()}


def _signatures(root: Path, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each commit's id, author, committer and merge flag as git-cliff writes them."""
    fields = "%H%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%P"
    values = cliff_unreadable.by_id(root, ids, fields).split("\x00")
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


def _parse(
    root: Path, config: Path, data: dict[str, Any], messages: list[str]
) -> list[dict[str, Any] | None] | None:
    """git-cliff's parse of each message (None: skipped) with `config` (parsed: `data`). One
    run parses a group, in the order given; where its parsers skip some, which is unknown:
    each half again."""
    from release.tools import cliff, cliff_context, cliff_read

    with cliff_read.rendering_args(config, data, cliff_context.COMMITS_BODY) as reading:
        args = [cliff.binary(), *reading, "--tag-pattern", cliff_context.NO_TAG]

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

"""The whole changelog's commits whose message is not valid UTF-8 (release.tools.cliff_unreadable
says why git-cliff reads them as no message): found, parsed from git's reading with the
project's config, and given their place, id, author and committer.

Finding them costs little when there are none: the tag-less parse (release.tools.cliff_parse)
runs on a copy of the config whose first preprocessor turns an empty message into MARK and
whose first parser groups MARK under GROUP, so git-cliff prints such a commit in its walk
place with its id instead of dropping it. Nothing else changes: a readable message is never
empty (a commit made with `--allow-empty-message` is told apart by git's bytes, and the caller
renders otherwise). Where a preprocessor of the project could change MARK, the marks cannot
be trusted: git's walk is read with every message instead (`unreadable_ids`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from release.base.errors import ToolError
from release.tools.cliff_read import ConfigEdit

MARK = "release-toolkit-unreadable: \ue000"
GROUP = "\ue000release-toolkit-unreadable"
_MARKED = b'"group":' + json.dumps(GROUP, ensure_ascii=False).encode()


def can_mark(data: dict[str, Any]) -> bool:
    """Whether MARK reaches our parser unchanged: no preprocessor of `data` (a loaded
    cliff.toml) matches it (Rust's regex and Python's agree on such patterns; a pattern
    Python cannot read counts as one that may match)."""
    for processor in data.get("git", {}).get("commit_preprocessors") or []:
        try:
            if re.search(str(processor.get("pattern", "")), MARK):
                return False
        except re.error:
            return False
    return True


_FIRST = {
    "commit_preprocessors": {"pattern": "^$", "replace": MARK},
    "commit_parsers": {"message": f"^{MARK}$", "group": GROUP},  # nothing to escape in MARK
}


def mark(document: Any) -> None:
    """Add the marking preprocessor and parser, first, to a tomlkit document of the config."""
    import tomlkit

    git = document.get("git")
    if git is None:
        git = tomlkit.table()
        document["git"] = git
    for key, first in _FIRST.items():
        entries = tomlkit.array()
        for entry in [first, *(git.get(key) or [])]:
            inline = tomlkit.inline_table()
            inline.update(dict(entry))
            entries.append(inline)
        git[key] = entries


def mark_text(text: str, data: dict[str, Any]) -> str | None:
    """The config's text (parsed: `data`) with the marking preprocessor and parser first,
    written into it (no TOML round trip); None where its [git] table is not written so that
    this can be done surely: the edited text is parsed again and must be `data` with them."""
    import copy

    from release.base._toml import tomllib

    git = data.get("git")
    if not isinstance(git, dict):
        return None
    for key, first in _FIRST.items():
        entry = "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in first.items()) + " }"
        if key in git:  # `key = [` opens its array: ours first
            found = list(re.finditer(rf"^[ \t]*{key}[ \t]*=[ \t]*\[", text, re.MULTILINE))
            at = found[0].end() if len(found) == 1 else None
            addition = f"\n  {entry},"
        else:  # a new array under the [git] header
            found = list(re.finditer(r"^[ \t]*\[git\][ \t]*(#.*)?$", text, re.MULTILINE))
            at = found[0].end() if len(found) == 1 else None
            addition = f"\n{key} = [{entry}]"
        if at is None:
            return None
        text = text[:at] + addition + text[at:]
    expected = copy.deepcopy(data)
    for key, first in _FIRST.items():
        expected["git"][key] = [first, *git.get(key, [])]
    try:
        return text if tomllib.loads(text) == expected else None
    except tomllib.TOMLDecodeError:
        return None


MARKING = ConfigEdit(mark_text, mark)  # for cliff_read.rendering_args


def marked(commits: Sequence[tuple[str, bytes]]) -> list[str]:
    """The ids the tag-less parse marked: commits git-cliff read with no message."""
    return [oid for oid, row in commits if _MARKED in row]


def recovered(
    root: Path,
    config: Path,
    data: dict[str, Any],
    commits: list[tuple[str, bytes]],
    marks: bool,
    cache: Path | None = None,
) -> list[tuple[str, bytes]] | None:
    """The tag-less parse's commits with each marked one parsed from git's reading (or left
    out, where the project's parsers skip it); None where this path cannot say what one run
    would show (a readable empty message; unmarked unreadable commits)."""
    from release.tools import cliff_unreadable_parse

    if not marks:  # git's walk read (the answer kept in `cache` for the next run)
        return None if walked_unreadable(root, cache) else commits
    ids = marked(commits)
    if not ids:
        return commits
    if set(unreadable_ids(root, ids)) != set(ids):
        return None  # a message that is empty in git too: one run's parse of ''
    rows = cliff_unreadable_parse.rows(root, config, data, {o: r for o, r in commits if o in ids})
    if rows is None:
        return None
    kept = []
    for oid, row in commits:
        if oid not in rows:
            kept.append((oid, row))
        elif (parsed := rows[oid]) is not None:  # None: the project's parsers skip it
            kept.append((oid, parsed))
    return kept


def unreadable_ids(
    root: Path, ids: Sequence[str] = (), revs: Sequence[str] = ("HEAD",)
) -> list[str]:
    """Which of `ids` (all of `revs`' history when empty) have a message that is not valid
    UTF-8 as libgit2 reads it: the object's bytes (`--encoding=none`: git re-encodes nothing),
    up to a NUL byte (where both git's `%B` and libgit2 stop). Records end with NUL: a
    message printed by `%B` holds none, so the split is exact."""
    from release.tools.run import run

    args = [
        "git",
        "-c",
        "log.showSignature=false",
        "log",
        "-z",
        "--encoding=none",
        "--format=%H%n%B",
    ]
    args += ["--no-walk=unsorted", "--stdin"] if ids else [*revs, "--"]
    listed = "".join(f"{oid}\n" for oid in ids) if ids else None
    out = run(args, cwd=root, input=listed, raw=True).raw
    try:
        out.decode("utf-8")
        return []  # the whole output reads: no message is unreadable
    except UnicodeDecodeError:
        pass
    found = []
    for record in out.split(b"\x00"):
        oid, _, message = record.partition(b"\n")
        try:
            message.decode("utf-8")
        except UnicodeDecodeError:
            found.append(oid.decode("ascii"))
    return found


def walked_unreadable(root: Path, cache: Path | None = None) -> list[str]:
    """The commits of HEAD's history whose message is not valid UTF-8 and that git-cliff
    walks and keeps: not in `.cliffignore` (it skips them by id), not taken out of its walk
    by `.git-blame-ignore-revs`. `cache`: a folder where the answer is kept for HEAD, so that
    the next run reads only the messages of the commits since (0.27 s for nuxt/nuxt's all)."""
    from release.tools import cliff_walk

    found = _in_history(root, cache)
    if not found:
        return []
    try:
        listed = (root / ".cliffignore").read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        listed = []
    ignored = {line.strip() for line in listed if line.strip() and not line.startswith("#")}
    found = [oid for oid in found if oid not in ignored]
    out = cliff_walk.blame_ignored(root, found)
    return [oid for oid in found if oid not in out]


def _in_history(root: Path, cache: Path | None) -> list[str]:
    """unreadable_ids of HEAD's history: those kept for an earlier HEAD that HEAD still has,
    and those of the commits since it."""
    from release.tools.run import run

    head = run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, check=False)
    if head.returncode != 0:
        return []  # no commit yet
    kept = cache / "unreadable.txt" if cache is not None else None
    found = None
    if kept is not None and kept.is_file():
        since, *known = kept.read_text(encoding="ascii").split() or [""]
        try:
            if since:
                found = [oid for oid in known if _has(root, oid)]
                found += unreadable_ids(root, revs=[f"{since}..HEAD"])
        except ToolError:
            found = None  # that HEAD is gone
    if found is None:
        found = unreadable_ids(root)
    if kept is not None:
        from release.base.fsutil import atomic_write

        kept.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(kept, "\n".join([head.stdout.strip(), *found]) + "\n")
    return found


def _has(root: Path, oid: str) -> bool:
    """Whether HEAD's history holds `oid`."""
    from release.tools.run import run

    args = ["git", "merge-base", "--is-ancestor", oid, "HEAD"]
    return run(args, cwd=root, check=False).returncode == 0

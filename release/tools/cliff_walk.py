"""What git-cliff's single run reads from git besides the commits it parses: HEAD's history
(each commit's parents), the tags its pattern takes and their messages, and which commits
`.git-blame-ignore-revs` takes out of its walk (release.tools.cliff_context)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from release.tools.run import run

# Rust's `str::trim`: Unicode White_Space (Python's `strip` also takes \x1c-\x1f).
_WHITE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
_WHITE += "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
RUST_WHITESPACE = _WHITE
# git-cliff's TAG_SIGNATURE_REGEX: the first signature block leaves a tag's message.
_SIGNATURE = re.compile(
    r"(?s)-----BEGIN (PGP|SSH|SIGNED) (SIGNATURE|MESSAGE)-----(.*?)"
    r"-----END (PGP|SSH|SIGNED) (SIGNATURE|MESSAGE)-----"
)
IGNORE_REVS = ".git-blame-ignore-revs"
_END = "\x00\x01\x00"  # ends a for-each-ref record: a tag's message may hold newlines


@dataclass(frozen=True)
class Tag:
    ref: str  # refs/tags/<ref>: libgit2 lists tags by it
    name: str  # the version: an annotated tag's own name, as libgit2 reads it
    commit: str
    time: int  # the tagged commit's committer time
    message: str | None  # an annotated tag's message as git-cliff keeps it


def history(root: Path) -> dict[str, list[str]]:
    """Every commit of HEAD's history and its parents, oldest first (topologically)."""
    args = ["git", "rev-list", "--topo-order", "--reverse", "--parents", "HEAD"]
    rows = run(args, cwd=root, check=False)  # no commit yet: an empty history
    lines = rows.stdout.splitlines() if rows.returncode == 0 else []
    return {oid: parents for oid, *parents in (row.split() for row in lines)}


def cuts(history: dict[str, list[str]]) -> list[int]:
    """Where git's walk of `history` (oldest first, topologically) has passed a commit's
    whole history and nothing else: the walk from HEAD gives `X..HEAD`, then X's history,
    so the two ranges parsed apart give the walk's order. Indexes into `history`."""
    has_child: set[str] = set()
    tips, found = 0, []
    for index, oid in enumerate(history):
        tips += 1  # its children come later
        for parent in set(history[oid]):
            if parent in history and parent not in has_child:
                has_child.add(parent)
                tips -= 1
        if tips == 1:
            found.append(index)  # everything so far is its history
    return found


def middle_cut(history: dict[str, list[str]], found: list[int]) -> str | None:
    """The cut nearest the middle of `history`, or None when none is near enough to pay."""
    middle = len(history) / 2
    best = min(found, key=lambda index: abs(index - middle), default=None)
    if best is None or abs(best - middle) > len(history) * 0.3:
        return None
    return list(history)[best]


def tags(
    root: Path,
    tag_pattern: str,
    reachable: set[str] | dict[str, list[str]],
    outside: list[Tag] | None = None,
) -> list[Tag]:
    """The tags `tag_pattern` takes (a search, as git-cliff's regex) whose commit is in
    `reachable`, by ref name; the others of commits go to `outside`. Raises LookupError for
    what this module does not read as libgit2 does (a tag of a tag, a message that is not
    UTF-8)."""
    fields = ["objecttype", "*objecttype", "objectname", "*objectname", "committerdate:unix"]
    fields += ["*committerdate:unix", "refname:strip=2", "tag", "contents"]
    form = "%00".join(f"%({field})" for field in fields) + "%00%01%00"
    listing = run(["git", "for-each-ref", f"--format={form}", "refs/tags"], cwd=root).stdout
    matches = re.compile(tag_pattern).search
    found = []
    for record in listing.split(_END + "\n")[:-1]:
        kind, peeled_kind, oid, peeled, time, peeled_time, ref, own, contents = record.split("\x00")
        if not matches(ref):
            continue
        if kind == "tag" and peeled_kind == "tag":
            raise LookupError(f"tag {ref} points at another tag")
        commit, when = (oid, time) if kind == "commit" else (peeled, peeled_time)
        if kind == "commit" or peeled_kind == "commit":
            message = None if kind == "commit" else tag_message(contents)
            if "\ufffd" in (message or ""):
                raise LookupError(f"tag {ref}: a message that is not UTF-8")
            tag = Tag(ref, own or ref, commit, int(when), message)
            if commit in reachable:
                found.append(tag)
            elif outside is not None:
                outside.append(tag)
    return sorted(found, key=lambda tag: tag.ref.encode())


def tag_message(contents: str) -> str:
    """The message git-cliff keeps: its first signature removed, trimmed as Rust trims."""
    return _SIGNATURE.sub("", contents, count=1).strip(_WHITE)


def blame_ignored(root: Path, commits: list[str]) -> set[str]:
    """Which of `commits` git-cliff leaves out of its walk as if they were never made:
    those .git-blame-ignore-revs lists (by prefix) and those that change that file alone
    (against their first parent)."""
    try:
        listed = (root / IGNORE_REVS).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return set()
    prefixes = [line.strip() for line in listed.splitlines()]
    prefixes = [p for p in prefixes if p and not p.startswith("#")]
    if not prefixes or not commits:
        return set()
    out = {c for c in commits if any(c.startswith(p) for p in prefixes)}
    rest = [c for c in commits if c not in out]
    if not rest:
        return out
    rows = run(["git", "rev-list", "--no-walk=unsorted", "--parents", *rest], cwd=root).stdout
    request = "".join(" ".join(row.split()[:2]) + "\n" for row in rows.splitlines())
    args = ["git", "diff-tree", "--stdin", "-r", "-z", "--name-only", "--no-renames"]
    listing = run([*args, "--root", "--always"], cwd=root, input=request).stdout
    changed: dict[str, list[str]] = {}
    current = None
    for item in listing.split("\x00"):
        if item in rest and item not in changed:
            current = changed.setdefault(item, [])
        elif item and current is not None:
            current.append(item)
    return out | {c for c, files in changed.items() if files == [IGNORE_REVS]}

"""git-cliff's parse of HEAD's whole history with the project's config and no tag
(release.tools.cliff_context), as fast as it can be had exactly.

Each kept commit is one line of JSON (cliff_context.COMMITS_BODY), in the order of git-cliff's
walk. The walk from HEAD, topological, gives `X..HEAD` and then X's history wherever X is a
cut (cliff_walk.cuts): two ranges parsed apart, concatenated, give the walk's order. So the
history is parsed in two halves on two cores, and the parse of a cut's history is kept
(`cache`) for the next run, which parses only what came after it. Wherever the joined
order disagrees with git's own walk, the whole history is parsed in one run instead.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from release.tools import cliff_context, cliff_walk


def parse(
    root: Path,
    config: Path,
    data: dict[str, Any],
    history: dict[str, list[str]],
    pool: Executor,
    cache: Path | None,
    marks: bool = False,
) -> list[tuple[str, bytes]] | None:
    """(id, JSON) of each commit git-cliff keeps, oldest first in its walk's order (`data`:
    the parsed config); None when git-cliff failed (the caller's other path says why).
    `marks`: a commit git-cliff reads with no message is kept, marked
    (release.tools.cliff_recover)."""
    from release.tools import cliff, cliff_read, cliff_recover

    found = cliff_walk.cuts(history)
    order = list(history)
    kind = "parse" if marks else "parse-unmarked"
    kept_file = kept_file_of(root, config, cache, kind) if cache is not None else None
    said: list[str] = []
    edit = cliff_recover.MARKING if marks else None
    with cliff_read.rendering_args(config, data, cliff_context.COMMITS_BODY, edit) as reading:
        args = [cliff.binary(), *reading, "--tag-pattern", cliff_context.NO_TAG]
        args += ["--sort", "newest", "--"]
        commits = None
        known = _load(kept_file, history, {order[i] for i in found})
        if known is not None:  # the history up to a cut, parsed before
            since = _cliff(args, root, f"{known[0]}..HEAD", said)
            commits = None if since is None else known[1] + since
        elif (cut := cliff_walk.middle_cut(history, found)) is not None:
            later = pool.submit(_cliff, args, root, f"{cut}..HEAD", said)
            older, newer = _cliff(args, root, cut, said), later.result()
            commits = None if older is None or newer is None else older + newer
        if commits is None or not _in_walk_order(commits, history):
            commits = _cliff(args[:-1], root, None, said)  # the whole walk in one run
    # not kept: a commit git-cliff skipped for a failed command would stay missing unsaid
    below_head = [index for index in found if index < len(order) - 1]
    if commits is None or kept_file is None or not below_head or _SKIPPED.search("".join(said)):
        return commits
    if known is None or order[below_head[-1]] != known[0]:
        pool.submit(_keep, kept_file, commits, history, below_head[-1])  # beside the render
    return commits


_SKIPPED = re.compile(r"were skipped due to (?!parse error)")


def _cliff(
    args: list[str], root: Path, rev_range: str | None, said: list[str]
) -> list[tuple[str, bytes]] | None:
    command = [*args, rev_range] if rev_range else args
    output = cliff_context.run_cliff(command, root, stderr=said)
    return None if output is None else cliff_context.kept_commits(output)


def _in_walk_order(commits: list[tuple[str, bytes]], history: dict[str, list[str]]) -> bool:
    place = {oid: index for index, oid in enumerate(history)}
    walked = [place.get(oid, -1) for oid, _ in commits]
    return all(0 <= a < b for a, b in itertools.pairwise(walked))


def kept_file_of(root: Path, config: Path, cache: Path, kind: str) -> Path:
    """Named by what decides a commit's parse: git-cliff's version, the config, the
    commits .cliffignore skips and .git-blame-ignore-revs takes out."""
    from release.tools import cliff

    salt = hashlib.sha256(cliff.version().encode() + b"\0" + config.read_bytes())
    for name in (".cliffignore", cliff_walk.IGNORE_REVS):
        listed = root / name
        salt.update(b"\0" + (listed.read_bytes() if listed.is_file() else b""))
    salt.update(b"\0marked 1")  # the parse keeps commits read with no message, marked
    suffix = "json" if kind == "render" else "jsonl"
    return cache / f"{kind}-{salt.hexdigest()[:24]}.{suffix}"


def _load(
    path: Path | None, history: dict[str, list[str]], cuts: set[str]
) -> tuple[str, list[tuple[str, bytes]]] | None:
    """The kept commits of a cut's history, parsed before, when that cut is still one."""
    if path is None or not path.is_file():
        return None
    cut, _, rows = path.read_bytes().partition(b"\n")
    if cut.decode("ascii", errors="replace") not in cuts:
        return None  # history rewritten, or the cut is no longer one
    kept = cliff_context.kept_commits(b"\n".join(reversed(rows.split(b"\n"))))
    return cut.decode("ascii"), kept


def _keep(
    path: Path, commits: list[tuple[str, bytes]], history: dict[str, list[str]], at: int
) -> None:
    """Keep the parse of the newest cut's history (the next run parses what follows it)."""
    import os
    import tempfile

    order = list(history)
    place = {oid: index for index, oid in enumerate(order)}
    rows = b"\n".join(row for oid, row in commits if place.get(oid, at + 1) <= at)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob("parse-*.jsonl"):
        if stale != path:
            stale.unlink(missing_ok=True)
    # a cache: replaced whole (a reader never sees half of it), not synced to the disk
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(order[at].encode() + b"\n" + rows + b"\n")
    os.replace(tmp, path)

"""The whole changelog through git-cliff, in tag ranges rendered concurrently.

One git-cliff run over a long history costs more than linear time and memory (git-cliff
2.12, 200 release tags: 10,000 commits 0.78 s; 100,000 commits 9.4 s and 1.9 GB). Split at
release tags, each range costs git-cliff about what its commits cost (20-40 us a commit,
by template), and the ranges render on every core. The sections are still git-cliff's own
rendering of the project's templates: the ranges are joined between the header and the
footer exactly as one run joins them, and a test checks the result byte for byte against
the single run.

A single run is kept when splitting would not pay (few tags) or could change the output
(header or footer templates, which see every release; a commit limit).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

TAGS_PER_RANGE = (8, 32)  # fewer: process start-up dominates; more: the cores share unevenly
MIN_TAGS = 24  # below this, one run is as fast
COMMITS_PER_RANGE = 1000  # git-cliff's start-up against its cost per commit and tag


def splittable(config: dict[str, Any]) -> bool:
    changelog = config.get("changelog", {})
    git = config.get("git", {})
    templated = any(
        "{{" in str(changelog.get(key) or "") or "{%" in str(changelog.get(key) or "")
        for key in ("header", "footer")
    )
    # A release's link to the one before (`previous.version`, compare links) breaks at the
    # edge of a range.
    # (a release's `statistics` count the days since the previous one, too)
    linked = any(word in str(changelog.get("body") or "") for word in ("previous", "statistics"))
    # Options that move commits across tags or drop releases, or walk in another order: one
    # run decides.
    moving = (
        "limit_commits",
        "skip_tags",
        "ignore_tags",
        "count_tags",
        "topo_order",
        "topo_order_commits",
        "use_branch_tags",
    )
    return not templated and not linked and not any(git.get(key) for key in moving)


def walk_cuts(history: list[str]) -> set[str]:
    """The commits where git-cliff's single run can be cut: it walks HEAD's history newest
    first by commit time and gives each commit to the next tag it meets, so a tag's range
    `A..B` holds the same commits as the run only when the commits older than B are exactly
    B's ancestors (a maintenance branch's patches tagged among the next line's prereleases
    break that). `history`: Git.history()'s lines. One pass, oldest first: the prefix of
    older commits must have no parent outside it and B as its only tip."""
    rows = sorted(
        ((int(time), oid, parents) for time, oid, *parents in (r.split() for r in history)),
        key=lambda row: row[0],
    )
    seen: set[str] = set()
    has_child: set[str] = set()
    missing = tips = 0
    cuts: set[str] = set()
    for index, (time, oid, parents) in enumerate(rows):
        seen.add(oid)
        if oid in has_child:
            missing -= 1  # a parent newer than its child (clock skew) arrives
        else:
            tips += 1
        for parent in parents:
            if parent in has_child:
                continue
            has_child.add(parent)
            if parent in seen:
                tips -= 1
            else:
                missing += 1
        alone = (index == 0 or rows[index - 1][0] < time) and (
            index + 1 == len(rows) or rows[index + 1][0] > time
        )
        if missing == 0 and tips == 1 and alone:
            cuts.add(oid)
    return cuts


def ranges(
    tags: list[str], workers: int, position: Mapping[str, int] | None = None
) -> list[tuple[str | None, str]]:
    """(from, to) ranges, oldest first, cutting `tags` (oldest first, each reachable from
    HEAD) into runs of similar size; `from` None means "from the first commit".

    With `position` (each tag's commit's place in the history, oldest first), a range ends
    before the next tag would take it past COMMITS_PER_RANGE commits, or at the most tags:
    git-cliff 2.14's cost grows with the commits of a run times the tags in it (983 commits
    of a generated history: 0.07 s without tags, 0.19 s with its 11), and a gap of
    thousands of commits between two cuts stays one range of its own."""
    low, high = TAGS_PER_RANGE
    if position is None:
        size = max(low, min(high, -(-len(tags) // (workers * 4))))
        bounds = tags[size - 1 :: size]
    else:
        bounds, since, count = [], 0, 0
        for tag, following in itertools.zip_longest(tags, tags[1:]):
            count += 1  # a range ends before the next tag would take it over the size
            full = following is None or position[following] - since > COMMITS_PER_RANGE
            if full or count >= high:
                bounds.append(tag)
                since, count = position[tag], 0
    if not bounds or bounds[-1] != tags[-1]:
        bounds.append(tags[-1])
    found: list[tuple[str | None, str]] = []
    previous: str | None = None
    for bound in [*bounds, "HEAD"]:
        found.append((previous, bound))
        previous = bound
    return found


class RangeCache:
    """Rendered sections of released ranges, which never change: a range between two
    release tags renders the same for the same commits, config and git-cliff. Kept in the
    repository's git directory; the newest range (it reaches HEAD) is never cached."""

    def __init__(self, folder: Path, salt: str, oids: Callable[[list[str]], list[str]]) -> None:
        self.folder = folder
        self.salt = salt  # git-cliff's version, the config's bytes, the tag pattern
        self._oids = oids
        self._keys: dict[tuple[str | None, str], str] = {}
        self._verdicts: dict[str, bool] | None = None
        self._verdicts_file = folder / f"verdicts-{salt[:16]}.json"

    def prepare(self, spans: list[tuple[str | None, str]]) -> None:
        names = sorted({n for span in spans for n in span if n})
        resolved = dict(zip(names, self._oids(names), strict=True))
        for start, end in spans:
            text = f"{self.salt}\0{resolved.get(start or '', '')}\0{resolved[end]}"
            self._keys[(start, end)] = hashlib.sha256(text.encode()).hexdigest()

    def get(self, span: tuple[str | None, str]) -> str | None:
        path = self.folder / f"{self._keys[span]}.md"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def put(self, span: tuple[str | None, str], text: str) -> None:
        from release.base.fsutil import atomic_write

        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.folder / f"{self._keys[span]}.md", text)

    def remembered(self, key: str, compute: Callable[[], bool]) -> bool:
        """A verdict about released commits (`key` names them by id), which never changes:
        whether a range may start at a tag, asked once and kept with the ranges."""
        if self._verdicts is None:
            path = self._verdicts_file
            self._verdicts = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        found = self._verdicts.get(key)
        if found is None:
            found = self._verdicts[key] = compute()
        return found

    def prune(self) -> None:
        """Forget ranges of older configs or moved tags; keep the verdicts asked."""
        if self._verdicts is not None:
            from release.base.fsutil import atomic_write

            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self._verdicts_file, json.dumps(self._verdicts, sort_keys=True))
        kept = {f"{key}.md" for key in self._keys.values()} | {self._verdicts_file.name}
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in kept:
                    path.unlink(missing_ok=True)


def render_split(
    tags: list[str],
    render: Callable[[str | None, str | None], str],
    is_ancestor: Callable[[str, str], bool],
    commit_of: Callable[[str], str],
    cache: RangeCache | None = None,
    safe_start: Callable[[str], bool] | None = None,
    position: Mapping[str, int] | None = None,
) -> str | None:
    """The full changelog from ranges, or None when one run is the better way.

    `tags`: release tags reachable from HEAD, oldest first. `render(rev_range, strip)` runs
    git-cliff (release.tools.cliff.render) in the project's repository; `commit_of(tag)` is
    the tag's commit id, which git-cliff walks to the first commit ("every ancestor of the
    first cut", which no A..B range says). `safe_start(tag)`: whether a range may start
    after `tag` (the release after it keeps a commit: a range run would show it empty where
    one run drops it)."""
    if len(tags) < MIN_TAGS:
        return None
    workers = max(1, min(os.cpu_count() or 1, 8))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        if safe_start is not None:
            tags = _safe_cuts(
                tags, lambda kept: ranges(kept, workers, position), safe_start, pool.map
            )
        if len(tags) < 2:
            return None
        spans = ranges(tags, workers, position)
        return _render_ranges(tags, spans, render, is_ancestor, commit_of, cache, pool)


def _safe_cuts(
    tags: list[str],
    split: Callable[[list[str]], list[tuple[str | None, str]]],
    safe_start: Callable[[str], bool],
    each: Callable[[Callable[[str], bool], list[str]], Any],
) -> list[str]:
    """`tags` without those a range may not start after: a range that would start at one
    starts at a later tag instead (nuxt/nuxt: 4 of its first 9 range starts are followed by
    a release its parsers leave empty). Each start is asked once."""
    verdict: dict[str, bool] = {}
    while len(tags) >= 2:
        starts = [s for s, _ in split(tags) if s and s not in verdict]
        if not starts:
            break
        verdict.update(zip(starts, each(safe_start, starts), strict=True))
        tags = [t for t in tags if verdict.get(t, True)]
    return tags


def _render_ranges(
    tags: list[str],
    spans: list[tuple[str | None, str]],
    render: Callable[[str | None, str | None], str],
    is_ancestor: Callable[[str, str], bool],
    commit_of: Callable[[str], str],
    cache: RangeCache | None,
    pool: ThreadPoolExecutor,
) -> str | None:
    if is_ancestor("HEAD", tags[-1]):
        spans = spans[:-1]  # HEAD is the last release: an empty range would render a section
    cuts = [end for _, end in spans]
    if not all(is_ancestor(a, b) for a, b in itertools.pairwise(cuts)):
        return None  # release lines that branch: one run keeps git-cliff's own attribution

    if cache is not None:
        cache.prepare([span for span in spans if span[1] != "HEAD"])

    def one(span: tuple[str | None, str]) -> str:
        cached = cache.get(span) if cache is not None and span[1] != "HEAD" else None
        if cached is not None:
            return cached
        start, end = span
        text = render(f"{start}..{end}" if start else commit_of(end), "all")
        if cache is not None and end != "HEAD":
            cache.put(span, text)
        return text

    # The newest release alone, rendered with and without header and footer, shows how one
    # run frames its releases (two small runs, alongside the ranges).
    sample = f"{tags[-2]}..{tags[-1]}"
    framed = pool.submit(render, sample, None)
    bare = pool.submit(render, sample, "all")
    bodies = list(pool.map(one, spans))
    whole, body = framed.result(), bare.result()
    at = whole.find(body) if body else -1
    if at < 0:
        return None  # a framing we cannot see: one run decides
    header, footer = whole[:at], whole[at + len(body) :]
    if cache is not None:
        cache.prune()
    return header + _join(list(reversed(bodies))) + footer


def _join(bodies: list[str]) -> str:
    """Sections newest first, separated as one git-cliff run separates its releases."""
    parts = [b for b in bodies if b]
    return "".join(_with_gap(b) for b in parts[:-1]) + (parts[-1] if parts else "")


def _with_gap(body: str) -> str:
    """One run ends each release with the body template's trailing newlines; a range
    rendered alone (`--strip all`) loses the last one of them."""
    return body if re.search(r"\n\n$", body) else body + "\n"

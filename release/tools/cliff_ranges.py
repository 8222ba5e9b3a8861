"""The release tags inside one range of a split changelog, as a tag pattern for git-cliff.

git-cliff 2.14 spends time on every tag its pattern matches for every commit it walks: the
range v2.13.2..v4.3.1 of nuxt/nuxt (9,587 commits) takes 6.2 s with the project's pattern,
which matches all 336 tags of the repository, and 1.0 s when it matches only the tags in
that range. A range run's releases come only from the tags on the commits it walks, so a
pattern naming exactly those tags gives the same bytes: the body templates a split accepts
never look outside their release (release.tools.cliff_history.splittable).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

NO_TAG = "^$release-toolkit-no-tag"  # matches no tag name
_RUST_META = set("\\.+*?()|[]{}^$#&-~")  # what regex::escape escapes


def _escape(name: str) -> str:
    return "".join(f"\\{c}" if c in _RUST_META else c for c in name)


class RangeTags:
    """`history`: Git.history()'s lines (HEAD first); `cuts`: commits where the history can
    be cut (cliff_history.walk_cuts: the commits older than a cut are exactly its
    ancestors); `tags`: release tag name -> commit."""

    def __init__(self, history: list[str], cuts: set[str], tags: Iterable[tuple[str, str]]):
        self._parents: dict[str, list[str]] = {}
        self._time: dict[str, int] = {}
        for row in history:
            time, oid, *parents = row.split()
            self._parents[oid] = parents
            self._time[oid] = int(time)
        self._head = history[0].split()[1] if history else ""
        self._cuts = cuts
        self._commit_of: dict[str, str] = {}
        self._tags_at: dict[str, list[str]] = {}
        for name, commit in tags:
            self._commit_of[name] = commit
            self._tags_at.setdefault(commit, []).append(name)

    def positions(self, names: list[str]) -> dict[str, int]:
        """Each tag's commit's place in the history, oldest first by commit time."""
        order = sorted(self._time, key=self._time.__getitem__)
        place = {oid: index for index, oid in enumerate(order)}
        return {n: place[self._commit_of[n]] for n in names if self._commit_of.get(n) in place}

    def pattern(self, rev_range: str, fallback: str) -> str:
        """The pattern matching the tags of `rev_range` ("A..B" with A a cut, or a commit
        for all its ancestors); `fallback` for a range of another shape."""
        start, _, end = rev_range.rpartition("..")
        end_oid = self._head if end == "HEAD" else self._commit_of.get(end, end)
        floor: int | None = None
        if start:
            start_oid = self._commit_of.get(start)
            if start_oid not in self._cuts:
                return fallback
            floor = self._time[start_oid]  # cut: the commits up to its time are its ancestors
        if end_oid not in self._time:
            return fallback
        names = sorted(self._tags_in(end_oid, floor))
        return "^(?:" + "|".join(_escape(n) for n in names) + ")$" if names else NO_TAG

    def _tags_in(self, end: str, floor: int | None) -> list[str]:
        seen = {end}
        stack = [end]
        found: list[str] = []
        while stack:
            oid = stack.pop()
            if floor is not None and self._time[oid] <= floor:
                continue  # an ancestor of the range's start
            found += self._tags_at.get(oid, [])
            for parent in self._parents.get(oid, []):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return found


def release_tags(names: Iterable[str], commits: Iterable[str], regex: str) -> list[tuple[str, str]]:
    """The (name, commit) pairs of the tags git-cliff's pattern `regex` matches."""
    matcher = re.compile(regex)
    return [(n, c) for n, c in zip(names, commits, strict=True) if matcher.search(n)]

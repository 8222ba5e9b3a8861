"""A new section's headings at the levels the changelog gives its releases: ATX levels,
setext underlines, RST adornments, and conventional-changelog's `#` minors and `##` patches."""

from __future__ import annotations

import re

from release.core.project.changelog_headings import (
    FENCE,
    UNDERLINE,
    Heading,
    headings,
    versions_in,
)


def level_of_kind(section: str, existing: str) -> str:
    """The section's release heading at the level the file's newest release of its kind
    (x.y.0 or a patch) has: a file's style changes over the years (lerna's 2018 sections are
    all `##`), its latest releases say what it is now; the sub-headings as rendered
    (conventional-changelog's `### Bug Fixes` under both)."""
    first = next(iter(headings(section)), None)
    ours = _kinds(first.text) if first is not None and first.level.startswith("#") else set()
    if first is None or len(ours) != 1:
        return section
    like = next(
        (h for h in headings(existing) if h.level.startswith("#") and _kinds(h.text) == ours),
        None,
    )
    if like is None:
        return section
    line = section[first.start : first.end]
    retitled = re.sub(r"^( {0,3})#{1,6}", lambda m: m.group(1) + like.level, line, count=1)
    return section[: first.start] + retitled + section[first.end :]


def _kinds(title: str) -> set[bool]:
    """For each version a title names: is it a patch release?"""
    return {not v.split("-")[0].endswith(".0") for v in versions_in(title)}


def release_levels(text: str) -> set[str]:
    """The levels of the headings that name a version (conventional-changelog heads minors
    with `#` and patches with `##`)."""
    return {h.level for h in headings(text) if versions_in(h.text)}


def same_underlines(section: str, releases: str) -> str:
    """A reStructuredText section's title adornments as the file's releases have them: its
    levels are the order in which adornments first appear (python-semantic-release: `=` for a
    release, `-` for its groups), so a section of `-` and `~` titles goes in as `=` and `-`.
    `releases`: the file from its newest release on."""
    ours = _adornments(section)
    theirs = _adornments(releases)
    if not ours or ours[0] in "#" or len(theirs) < len(ours) or ours == theirs[: len(ours)]:
        return section
    mapping = dict(zip(ours, theirs, strict=False))
    lines = section.splitlines(keepends=True)
    for found in headings(section):
        if found.level not in mapping:
            continue
        first = section.count("\n", 0, found.start)
        last = section.count("\n", 0, found.end - 1)
        for index in range(first, last + 1):
            line = lines[index]
            if UNDERLINE.match(line.rstrip("\r\n")):
                body = line.rstrip("\r\n")
                lines[index] = (
                    mapping[found.level] * len(body.rstrip()) + line[len(body.rstrip()) :]
                )
    return "".join(lines)


def _adornments(text: str) -> list[str]:
    """The underline characters of `text`'s titles, in the order they first appear."""
    found: list[str] = []
    for heading in headings(text):
        if heading.level.startswith("#"):
            return found  # Markdown ATX: not adorned titles
        if heading.level not in found:
            found.append(heading.level)
    return found


def same_level(section: str, newest: Heading) -> str:
    """The section's ATX headings moved to the level of the file's release headings: a
    `## [0.45.0]` section goes into a file of `#### [0.44.1]` releases as `#### [0.45.0]`,
    its `###` sub-headings as `#####`; into a file of setext releases (`[1.58.0]` underlined
    with `---`) its release heading is underlined the same way."""
    first = next((h for h in headings(section) if h.level.startswith("#")), None)
    setext = newest.level in ("=", "-")
    if first is None or not (newest.level.startswith("#") or setext):
        return section
    target = {"=": 1, "-": 2}.get(newest.level, len(newest.level))
    shift = target - len(first.level)

    def moved(match: re.Match[str]) -> str:
        level = min(6, max(1, len(match.group(2)) + shift))
        rest = match.group(3) or ""
        if setext and level == target and rest.strip():
            title = rest.strip()
            return title + "\n" + newest.level * max(3, len(title))
        return match.group(1) + "#" * level + rest

    if shift == 0 and not setext:
        return section
    lines, fenced = [], False
    for line in section.splitlines(keepends=True):
        fenced ^= bool(FENCE.match(line))
        lines.append(line if fenced else re.sub(r"^( {0,3})(#{1,6})([ \t].*)?$", moved, line))
    return "".join(lines)

"""Where a new release's section goes in a changelog that exists: right above the newest
release section already there, whatever the heading style, so every byte from that heading
on stays as it was.

A release section is found by a heading that names the version of one of the project's
release tags: ATX headings at any level (`# [3.5.0](…) (date)` beside `## [3.4.38](…)`, as
conventional-changelog writes minors and patches), `## 1.2.0 (date)`, `## [1.2.0] - date`,
setext (`===`/`---` underlines) and reStructuredText (underlined, optionally overlined)
titles. The topmost such heading is the newest release: inserting above it can never land
inside another release's entry, whose sub-headings (`## Aggregated Features List`) name no
release. A keep-a-changelog `## [Unreleased]` section above it gives its entries to the new
release; its heading stays, empty, for the next entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# An RST underline repeats one punctuation character; Markdown's setext uses = or -.
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}[ \t]*$")
_VERSION = re.compile(r"(?<![\w.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]*[0-9A-Za-z])?)(?![\w.])")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>")  # the URL of a link says nothing
_UNRELEASED = re.compile(r"^\W*unreleased\b", re.IGNORECASE)
_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")


@dataclass(frozen=True)
class Heading:
    start: int  # offset of its first line (the overline of an RST title)
    end: int  # offset after its last line (the underline)
    text: str
    level: str  # "#", "##", … or the underline character


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its ending) for every line."""
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        found.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    return found


def headings(text: str) -> list[Heading]:
    """The headings of a Markdown or reStructuredText document, outside code fences."""
    lines = _lines(text)
    found: list[Heading] = []
    fenced = False
    index = 0
    while index < len(lines):
        offset, line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (atx := _ATX.match(line)):
            found.append(Heading(offset, offset + len(line) + 1, atx.group(2), atx.group(1)))
        elif not fenced and line.strip() and index + 1 < len(lines):
            below = lines[index + 1][1]
            # A code fence opening below a line (a README's snippet) underlines nothing.
            mark = None if below.lstrip().startswith("```") else _UNDERLINE.match(below)
            if mark and not _ITEM.match(line) and len(below.rstrip()) >= min(3, len(line)):
                start = offset
                above = lines[index - 1][1] if index else ""
                if index and _UNDERLINE.match(above) and above.strip()[0] == mark.group(1):
                    start = lines[index - 1][0]  # an overlined RST title
                end = lines[index + 2][0] if index + 2 < len(lines) else len(text)
                found.append(Heading(start, end, line.strip(), mark.group(1)))
                index += 2
                continue
        index += 1
    return found


def versions_in(title: str) -> set[str]:
    return set(_VERSION.findall(_LINK_TARGET.sub("]", title)))


def newest_release(text: str, releases: Iterable[str]) -> Heading | None:
    """The topmost heading that names one of `releases` (versions without tag prefix); when
    none does (tags renamed, a history imported), the topmost that names any version."""
    known = set(releases)
    found = headings(text)
    named = next((h for h in found if versions_in(h.text) & known), None)
    return named or next((h for h in found if versions_in(h.text)), None)


def unreleased_above(text: str, newest: Heading | None) -> Heading | None:
    limit = newest.start if newest else len(text)
    return next((h for h in headings(text) if h.start < limit and _UNRELEASED.match(h.text)), None)


def insert(existing: str, section: str, releases: Iterable[str]) -> str | None:
    """`existing` with `section` above its newest release (None: no release heading found,
    the caller places the first section after the file's header)."""
    section = section.strip("\n") + "\n\n"
    newest = newest_release(existing, releases)
    unreleased = unreleased_above(existing, newest)
    if newest is not None:
        section = bare_version(section, newest)
        if len(_release_levels(existing)) == 1:  # mixed levels mean something: kept
            section = same_level(section, newest)
    if unreleased is not None:
        until = newest.start if newest else len(existing)
        prose, entries = _leading_prose(existing[unreleased.end : until])
        if prose:  # kept byte for byte, the new section below it
            kept = existing[: unreleased.end] + prose + ("" if prose.endswith("\n\n") else "\n")
        else:
            kept = existing[: unreleased.end].rstrip("\n") + "\n\n"
        return kept + _with_entries(section, entries) + existing[until:]
    if newest is None:
        return None
    return existing[: newest.start] + section + existing[newest.start :]


def _release_levels(text: str) -> set[str]:
    """The levels of the headings that name a version (conventional-changelog heads minors
    with `#` and patches with `##`)."""
    return {h.level for h in headings(text) if versions_in(h.text)}


def bare_version(section: str, newest: Heading) -> str:
    """`[pkg-v0.13.30]` -> `[0.13.30]` in the section's first heading when the file's release
    headings name the bare version (a package's own changelog, headed by its versions while
    its tags carry its name)."""
    found = headings(section)
    named = re.search(r"(?:^|[\s\[(])(v?)\d+\.\d+\.\d+", _LINK_TARGET.sub("]", newest.text))
    if not found or named is None:
        return section
    first = found[0]
    line = section[first.start : first.end]
    prefix = r"(?<=[\s\[(])[\w.@/-]*?[-@/]v?(?=\d+\.\d+\.\d+)"
    bare = re.sub(prefix, named.group(1), line, count=1)
    return section[: first.start] + bare + section[first.end :]


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
        fenced ^= bool(_FENCE.match(line))
        lines.append(line if fenced else re.sub(r"^( {0,3})(#{1,6})([ \t].*)?$", moved, line))
    return "".join(lines)


def _leading_prose(entries: str) -> tuple[str, str]:
    """An Unreleased section with no entry and no sub-heading, only prose (cargo-dist's
    "Nothing Yet!"): the prose stays under that heading. Otherwise every line goes to the
    release, bold pseudo-headings (hatch's `***Fixed***`) with their entries."""
    lines = entries.splitlines()
    if any(line.strip() and (_ITEM.match(line) or _ATX.match(line)) for line in lines):
        return "", entries
    return (entries if entries.strip() else ""), ""


def _with_entries(section: str, entries: str) -> str:
    """The rendered section, followed by the unreleased entries it does not already say
    (hand-written ones), under the sub-headings they had."""
    said = {line.strip() for line in section.splitlines() if line.strip()}
    extra: list[str] = []
    pending_heading: str | None = None
    for line in entries.splitlines():
        if not line.strip():
            continue
        if _ATX.match(line):
            pending_heading = line
            continue
        if line.strip() in said:
            continue
        if pending_heading is not None:
            extra += ["", pending_heading, ""]
            pending_heading = None
        extra.append(line)
    if not extra:
        return section
    return section.rstrip("\n") + "\n" + "\n".join(extra).rstrip("\n") + "\n\n"


def markup_of_section(section: str) -> str | None:
    """ "md" (an ATX heading), "rst" (an underline Markdown has not) or None (setext `===`
    and `---` read the same in both) by the section's first heading."""
    found = headings(section)
    if not found:
        return None
    if found[0].level.startswith("#") and section[found[0].start :].lstrip().startswith("#"):
        return "md"
    return None if found[0].level in ("=", "-") else "rst"


def markup_of_path(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith((".rst", ".rest")):
        return "rst"
    if lowered.endswith((".md", ".markdown")):
        return "md"
    return None

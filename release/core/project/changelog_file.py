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

from release.core.project.changelog_headings import (
    ATX,
    ITEM,
    LINK_TARGET,
    Heading,
    headings,
    versions_in,
)
from release.core.project.changelog_levels import (
    level_of_kind,
    release_levels,
    same_level,
    same_underlines,
)

# headings and versions_in are read through this module too.
__all__ = [
    "Heading",
    "headings",
    "insert",
    "markup_of_path",
    "markup_of_section",
    "same_level",
    "versions_in",
]

_UNRELEASED = re.compile(r"^\W*unreleased\b", re.IGNORECASE)
# A link target that names the heading below it: RST's `.. _changelog-v10.6.0:`, an HTML
# anchor (`<a name="1.2.0"></a>`, as conventional-changelog's angular preset writes).
_ANCHOR = re.compile(r"^ {0,3}(\.\. _[^:]+:|<a\s+(name|id)=[^>]*>\s*(</a>)?)\s*$", re.IGNORECASE)


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
        if len(release_levels(existing)) == 1:
            section = same_level(section, newest)
            section = same_underlines(section, existing[newest.start :])
        else:  # mixed levels mean something: conventional-changelog's `#` minors, `##` patches
            section = level_of_kind(section, existing)
    if unreleased is not None:
        until = anchored(existing, newest) if newest else len(existing)
        prose, entries = _leading_prose(existing[unreleased.end : until])
        if prose:  # kept byte for byte, the new section below it
            kept = existing[: unreleased.end] + prose + ("" if prose.endswith("\n\n") else "\n")
        else:
            kept = existing[: unreleased.end].rstrip("\n") + "\n\n"
        return kept + _with_entries(section, entries) + existing[until:]
    if newest is None:
        return None
    at = anchored(existing, newest)
    return existing[:at] + section + existing[at:]


def anchored(text: str, heading: Heading) -> int:
    """Where `heading`'s release begins: above the anchors that name it (a blank line may
    stand between them and it), which a new section must not take from it."""
    start = heading.start
    lines = text[:start].splitlines(keepends=True)
    offset, index, blank = start, len(lines) - 1, False
    while index >= 0:
        line = lines[index]
        if not line.strip() and not blank:
            blank = True
        elif _ANCHOR.match(line.rstrip("\r\n")):
            start, blank = offset - len(line), False
        else:
            break
        offset -= len(line)
        index -= 1
    return start


def bare_version(section: str, newest: Heading) -> str:
    """`[pkg-v0.13.30]` -> `[0.13.30]` in the section's first heading when the file's release
    headings name the bare version (a package's own changelog, headed by its versions while
    its tags carry its name)."""
    found = headings(section)
    named = re.search(r"(?:^|[\s\[(])(v?)\d+\.\d+\.\d+", LINK_TARGET.sub("]", newest.text))
    if not found or named is None:
        return section
    first = found[0]
    line = section[first.start : first.end]
    prefix = r"(?<=[\s\[(])[\w.@/-]*?[-@/]v?(?=\d+\.\d+\.\d+)"
    bare = re.sub(prefix, named.group(1), line, count=1)
    return section[: first.start] + bare + section[first.end :]


def _leading_prose(entries: str) -> tuple[str, str]:
    """An Unreleased section with no entry and no sub-heading, only prose (cargo-dist's
    "Nothing Yet!"): the prose stays under that heading. Otherwise every line goes to the
    release, bold pseudo-headings (hatch's `***Fixed***`) with their entries."""
    lines = entries.splitlines()
    if any(line.strip() and (ITEM.match(line) or ATX.match(line)) for line in lines):
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
        if ATX.match(line):
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

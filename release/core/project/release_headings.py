"""Whether a commit wrote a release section into a file: the file a release commit adds a
heading naming the release to is a changelog (`CHANGELOG.md`, `docs/history/hatchling.md`).
A README whose install snippet gets its version bumped is not: its `pyo3-ffi = "0.23.0"`
line above a code fence is no heading, nor is a version inside a URL or a dependency line.

The heading is judged in the file as the commit left it (code fences and all), and only the
headings among the lines the commit added count."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from release.core.project import changelog_file

_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
# `name = "1.2.3"`, `"name": "1.2.3"`, `name: 1.2.3`, `tool@1.2.3`: a line that states a
# dependency's or a setting's version, not a release's title.
_ASSIGNMENT = re.compile(r"^[\"'\w.@/-]+[\"']?\s*[:=]\s*[\"'{\[]?v?\d|[\w-]@v?\d")
_CODE = re.compile(r"`[^`]*`")
_FRONT_PAGES = ("readme",)


def front_page(path: str) -> bool:
    """A README: the project's front page, whose snippets name versions; never its changelog."""
    return PurePosixPath(path).name.lower().startswith(_FRONT_PAGES)


def names_release(title: str, versions: set[str]) -> bool:
    """Whether a heading's text is a release's title naming one of `versions` (`## [1.2.0] -
    2024-05-01`, `v1.2.0`, `Release 1.2.0 (May 2024)`), not a setting or a URL."""
    text = _CODE.sub(" ", _URL.sub(" ", title)).strip()
    if _ASSIGNMENT.search(text):
        return False
    return bool(changelog_file.versions_in(text) & versions)


def adds_release_heading(text: str, added: list[str], versions: set[str]) -> bool:
    """Whether `text` (a file after a commit) has a heading naming one of `versions` among the
    lines the commit `added`."""
    new_lines = {line.strip() for line in added if line.strip()}
    for heading in changelog_file.headings(text):
        if not any(v in heading.text for v in versions):
            continue
        title = next(
            (
                line
                for line in text[heading.start : heading.end].splitlines()
                if heading.text in line
            ),
            "",
        )
        if title.strip() in new_lines and names_release(heading.text, versions):
            return True
    return False

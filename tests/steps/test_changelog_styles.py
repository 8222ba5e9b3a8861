"""A release cut into changelogs shaped like real ones, one per heading style: the new
section lands right above the newest release, and every byte from there on is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.core.plan.planning import plan
from release.steps.changelog.step import ChangelogStep, render_section
from release.tools import cliff

from ..conftest import Repo, run_release

KEEP_A_CHANGELOG = """# Changelog

All notable changes to this project will be documented in this file.

## [Unreleased]

### Added

- Hand-written entry about the new search page

## [1.2.0] - 2026-01-10

### Added

- Search

## [1.1.1] - 2025-12-01

### Fixed

- Crash

[Unreleased]: https://example.invalid/compare/v1.2.0...HEAD
[1.2.0]: https://example.invalid/compare/v1.1.1...v1.2.0
"""

# conventional-changelog: minors as `#`, patches as `##`, and `##` sub-headings inside.
CONVENTIONAL = """# [1.2.0](https://example.invalid/compare/v1.1.1...v1.2.0) (2026-01-10)

### Features

* **api:** search ([abc1234](https://example.invalid/commit/abc1234))

## Aggregated Features List

### Search

* faster

## [1.1.1](https://example.invalid/compare/v1.1.0...v1.1.1) (2025-12-01)

### Bug Fixes

* crash
"""

PLAIN = """# Changes

Written by hand before the tool came.

## 1.2.0 (2026-01-10)

- Search

## 1.1.1 (2025-12-01)

- Crash
"""

SETEXT = """Changelog
=========

1.2.0 (2026-01-10)
------------------

- Search

1.1.1 (2025-12-01)
------------------

- Crash
"""

RST = """=========
Changelog
=========

Some history.

1.2.0 (2026-01-10)
------------------

Features
~~~~~~~~

- Search

1.1.1 (2025-12-01)
------------------

- Crash
""" + "".join(f"\n0.{n}.0 (2020-01-01)\n------------------\n\n- Old {n}\n" for n in range(40))


def _project(repo: Repo, changelog: str, text: str, rst: bool = False) -> Path:
    repo.commit("feat: first")
    repo.tag("v1.1.1")
    repo.commit("feat: search")
    repo.tag("v1.2.0")
    repo.commit("fix(parser): handle empty input")
    repo.commit("feat: export")
    repo.write("release.toml", f'[changelog]\npath = "{changelog}"\n')
    if rst:
        repo.write("cliff.toml", cliff.rst_config().read_text())
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: configure")
    return repo.write(changelog, text)


def _cut(repo: Repo) -> tuple[str, str]:
    ctx = plan(repo.path, "1.3.0")
    section = render_section(ctx)
    ChangelogStep().run(ctx)
    assert ChangelogStep().done(ctx)
    return section, (repo.path / ctx.config.changelog.path).read_text()


@pytest.mark.parametrize(
    ("name", "text", "heading"),
    [
        ("CHANGELOG.md", CONVENTIONAL, "# [1.2.0]"),
        ("CHANGELOG.md", PLAIN, "## 1.2.0"),
        ("CHANGELOG.md", SETEXT, "1.2.0 (2026-01-10)\n---"),
        ("CHANGELOG.rst", RST, "1.2.0 (2026-01-10)\n---"),
    ],
    ids=["conventional-changelog", "plain", "setext", "rst"],
)
def test_the_section_lands_above_the_newest_release(
    repo: Repo, name: str, text: str, heading: str
) -> None:
    _project(repo, name, text, rst=name.endswith(".rst"))
    section, new = _cut(repo)
    at = text.index(heading)
    assert "1.3.0" in section and "Handle empty input" in section
    if text is SETEXT:  # the file's releases are underlined: so is the new one
        first = section.splitlines()[0]
        title = first.removeprefix("## ")
        section = section.replace(first, title + "\n" + "-" * len(title), 1)
    if text is CONVENTIONAL:  # 1.3.0 is a minor: headed with `#` as the file heads 1.2.0
        assert section.startswith("## [1.3.0]")
        section = section.replace("## ", "# ", 1)
    assert new == text[:at] + section.strip("\n") + "\n\n" + text[at:]


def test_keep_a_changelog_unreleased_entries_become_the_release(repo: Repo) -> None:
    _project(repo, "CHANGELOG.md", KEEP_A_CHANGELOG)
    section, new = _cut(repo)
    old_from = KEEP_A_CHANGELOG.index("## [1.2.0]")
    assert new.endswith(KEEP_A_CHANGELOG[old_from:])  # every older byte kept
    head = new[: len(new) - len(KEEP_A_CHANGELOG) + old_from]
    assert head.startswith(KEEP_A_CHANGELOG[: KEEP_A_CHANGELOG.index("### Added")])
    # one [Unreleased] heading, now empty; its hand-written entry is in the 1.3.0 section
    assert head.count("[Unreleased]") == 1
    release_at = head.index("## [1.3.0]")
    assert head.index("## [Unreleased]") < release_at
    assert head.index("- Hand-written entry about the new search page") > release_at
    assert head.count("Hand-written entry") == 1 and section.strip("\n") in head


def test_a_markdown_section_for_an_rst_changelog_stops_with_nothing_written(
    repo: Repo,
) -> None:
    path = _project(repo, "CHANGELOG.rst", RST)  # no cliff.toml: the Markdown default
    before = repo.snapshot()
    result = run_release(repo.path, "cut", "1.3.0", "--yes")
    assert result.code == 2, result.err
    assert "reStructuredText" in result.err and "Markdown" in result.err
    assert path.read_text() == RST and repo.snapshot() == before

"""A release prepared on the branch (a merged release pull request) is found from the files
and the tags: every manifest at V, V's changelog section, no tag V; anything short of that
is not prepared. Its notes are the section as the file has it."""

from __future__ import annotations

import pytest

from release.base.versioning import Version
from release.core.plan.planning import plan
from release.core.plan.prepared import adopt, prepared_version, section_of

from ..conftest import Repo

PYPROJECT = '[project]\nname = "tiny"\nversion = "{version}"\n'
INIT = '__version__ = "{version}"\n'
CHANGELOG = """# Changelog

## [0.4.0] - 2026-12-06

### Features
- Greet, as the maintainer reworded it

## 0.3.0

- The first release.
"""


@pytest.fixture
def merged(repo: Repo) -> Repo:
    """v0.3.0 released; then a merged release pull request of 0.4.0."""
    repo.write("pyproject.toml", PYPROJECT.format(version="0.3.0"))
    repo.write("src/tiny/__init__.py", INIT.format(version="0.3.0"))
    repo.write("CHANGELOG.md", "# Changelog\n\n## 0.3.0\n\n- The first release.\n")
    repo.commit("feat: first")
    repo.tag("v0.3.0")
    repo.commit("feat: greet")
    repo.write("pyproject.toml", PYPROJECT.format(version="0.4.0"))
    repo.write("src/tiny/__init__.py", INIT.format(version="0.4.0"))
    repo.write("CHANGELOG.md", CHANGELOG)
    repo.commit("chore(release): v0.4.0")
    return repo


def test_a_merged_release_is_prepared_and_adopted_with_the_files_notes(merged: Repo) -> None:
    ctx = plan(merged.path)
    assert prepared_version(ctx) == Version.parse("0.4.0")
    assert adopt(ctx) and str(ctx.version) == "0.4.0" and ctx.tag == "v0.4.0"
    assert "prepared" in ctx.reason
    notes = ctx.memo.changelog_section
    assert notes is not None and "as the maintainer reworded it" in notes
    assert "0.3.0" not in notes  # the section alone


def test_a_tagged_version_is_not_prepared(merged: Repo) -> None:
    merged.tag("v0.4.0")
    merged.commit("fix: later")
    assert prepared_version(plan(merged.path)) is None


def test_manifests_that_disagree_are_not_prepared(merged: Repo) -> None:
    merged.write("src/tiny/__init__.py", INIT.format(version="0.3.0"))
    merged.commit("chore: back")
    assert prepared_version(plan(merged.path)) is None


def test_no_section_for_the_version_is_not_prepared(merged: Repo) -> None:
    merged.write("CHANGELOG.md", "# Changelog\n\n## 0.3.0\n\n- The first release.\n")
    merged.commit("docs: no section")
    ctx = plan(merged.path)
    assert prepared_version(ctx) is None and not adopt(ctx)
    assert str(ctx.version) == "0.4.0"  # computed from the commits, as always


def test_uncommitted_release_files_are_not_prepared(repo: Repo) -> None:
    repo.write("pyproject.toml", PYPROJECT.format(version="0.3.0"))
    repo.write("CHANGELOG.md", "# Changelog\n\n## 0.3.0\n\n- The first release.\n")
    repo.commit("feat: first")
    repo.tag("v0.3.0")
    repo.commit("feat: more")
    repo.write("pyproject.toml", PYPROJECT.format(version="0.4.0"))  # a killed cut's
    repo.write("CHANGELOG.md", CHANGELOG)
    assert prepared_version(plan(repo.path)) is None


def test_an_explicit_other_version_wins(merged: Repo) -> None:
    ctx = plan(merged.path, "0.5.0")
    assert not adopt(ctx) and str(ctx.version) == "0.5.0"


def test_section_of_stops_at_the_next_release_and_keeps_sub_headings() -> None:
    section = section_of(CHANGELOG, Version.parse("0.4.0"))
    assert section is not None and section.startswith("## [0.4.0] - 2026-12-06")
    assert "### Features" in section and "The first release" not in section
    assert section_of(CHANGELOG, Version.parse("0.9.0")) is None

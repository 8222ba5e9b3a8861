"""The JSON render reads the same commits as git-cliff's `--context`, which computes diff
statistics the toolkit never uses: same commits, groups, scopes, breaking and merge flags."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from release.base.versioning import TagFormat
from release.tools import cliff, cliff_read

from ..conftest import Repo

PATTERN = TagFormat("v{version}").regex
NO_TAG = "^$no-tag-matches-this"
FIELDS = ("id", "group", "scope", "message", "breaking", "merge_commit", "conventional")

PROJECT_CONFIG = r'''
[changelog]
header = "# Changelog\n"
body = """
## {{ version | default(value="Unreleased") }}
{% for group, commits in commits | group_by(attribute="group") %}
### {{ group | striptags | trim }}
{% for c in commits %}- {{ c.message }}
{% endfor %}{% endfor %}"""
footer = "<!-- end -->"
postprocessors = [{ pattern = "\\[", replace = "(" }]

[git]
conventional_commits = true
filter_unconventional = false
protect_breaking_commits = true
commit_preprocessors = [
  { pattern = "^feature:", replace = "feat:" },
  { pattern = "\\(#[0-9]+\\)", replace = "" },
]
commit_parsers = [
  { message = "^feat", group = "<!-- 0 -->Features" },
  { message = "^fix", group = "<!-- 1 -->Fixes" },
  { message = "^chore\\(release\\)", skip = true },
  { message = "^chore", skip = true },
  { message = "^Merge", group = "Merges" },
  { body = ".*", group = "Other" },
]
sort_commits = "oldest"
'''


def history(repo: Repo) -> None:
    """Preprocessed and skipped commits, breaking footers (one on a skipped type), merges,
    non-conventional messages, several releases."""
    repo.commit("feat: first")
    repo.tag("v0.1.0")
    repo.commit("feature: preprocessed into a feat (#12)")
    repo.commit("chore(release): 0.2.0")
    repo.tag("v0.2.0")
    repo.commit("chore: skipped unless breaking\n\nBREAKING CHANGE: protected")
    repo.commit("fix(parser)!: bang breaking")
    repo.commit('fix: with "quotes", a \\ backslash and\n\nBody\n\nRefs: #3')
    repo.commit("Update README, no type at all")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("feat(side): from a branch", file="side.txt")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "side", "-m", "Merge branch 'side'")
    repo.tag("v0.3.0")
    repo.commit("perf(io)!: unreleased\n\nBREAKING-CHANGE: footer with a dash")
    repo.commit("docs: ünïcode ✓ and [brackets]")


def by_context(repo: Path, config: Path, rev_range: str | None) -> list[dict[str, Any]]:
    args = [cliff.binary(), "--config", str(config), "--context", "--tag-pattern", NO_TAG]
    out = subprocess.run(
        [*args, *(["--", rev_range] if rev_range else [])],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    releases = json.loads(out or "[]")
    return [c for release in reversed(releases) for c in release["commits"]]


def by_render(repo: Path, config: Path, rev_range: str | None) -> list[dict[str, Any]]:
    with cliff_read.rendering(config, cliff_read.COMMITS_BODY) as copy:
        args = [cliff.binary(), "--config", str(copy), "--tag-pattern", NO_TAG]
        out = subprocess.run(
            [*args, *(["--", rev_range] if rev_range else [])],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return cliff_read.commit_rows(out)


def fields(commit: dict[str, Any]) -> tuple[Any, ...]:
    first_line = str(commit.get("raw_message") or "").splitlines()[:1]
    return (*(commit.get(name) for name in FIELDS), first_line)


@pytest.fixture
def project(repo: Repo) -> tuple[Repo, Path]:
    history(repo)
    config = repo.path.parent / "cliff.toml"
    config.write_text(PROJECT_CONFIG, encoding="utf-8")
    return repo, config


@pytest.mark.parametrize("rev_range", [None, "v0.1.0..HEAD", "v0.2.0..v0.3.0", "HEAD..HEAD"])
def test_the_render_parses_as_context_does(project: tuple[Repo, Path], rev_range: str) -> None:
    repo, own = project
    for config in (own, Path(cliff.__file__).parent.parent / "data" / "read-commits.toml"):
        expected = [fields(c) for c in by_context(repo.path, config, rev_range)]
        assert [fields(c) for c in by_render(repo.path, config, rev_range)] == expected
    if rev_range is None:  # the project's parsers skipped some and regrouped the rest
        parsed = {c[3]: c[1] for c in (fields(c) for c in by_render(repo.path, own, None))}
        assert parsed["preprocessed into a feat "] == "<!-- 0 -->Features"
        assert "0.2.0" not in parsed  # chore(release) skipped
        assert parsed["skipped unless breaking"] == "chore"  # protected: breaking


def test_read_commits_is_the_context_of_the_read_config(project: tuple[Repo, Path]) -> None:
    repo, _ = project
    read = Path(cliff.__file__).parent.parent / "data" / "read-commits.toml"
    old = [cliff._commit(raw) for raw in by_context(repo.path, read, "v0.1.0..HEAD")]
    assert cliff.read_commits(repo.path, "v0.1.0..HEAD") == old
    assert [c.breaking for c in old].count(True) == 3  # footer, bang, dashed footer


def test_release_sizes_match_the_context(project: tuple[Repo, Path]) -> None:
    repo, config = project
    args = [cliff.binary(), "--config", str(config), "--context", "--tag-pattern", PATTERN]
    releases = json.loads(
        subprocess.run(
            [*args, "--", "v0.1.0..HEAD"], cwd=repo.path, capture_output=True, text=True
        ).stdout
    )
    expected = {str(r["version"]): len(r["commits"]) for r in releases}
    assert cliff.release_sizes(repo.path, config, "v0.1.0..HEAD", PATTERN) == expected
    assert expected["v0.2.0"] == 1  # its chore(release) commit was skipped

"""The split changelog against one git-cliff run, byte for byte, on generated histories with
maintenance lines: patches of an older line tagged among the next line's prereleases,
branches merged back or not, tags of no release format. Where the walk of one run cannot be
cut, the split gives way to the single run; either way the bytes are the run's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release.base.versioning import TagFormat
from release.commands.changelog import changelog_text, release_chain
from release.tools import cliff, cliff_history, cliff_whole
from release.tools.git import Git

from .histories import maintained

FMT = TagFormat("v{version}")


def one_run(repo: Path, config: Path) -> str:
    return cliff.render(repo, config, rev_range=None, tag_pattern=FMT.regex)


def cache_of(repo: Path) -> Path:
    return repo / ".git" / "release-toolkit" / "changelog-cache"


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 100_000),
    lines=st.integers(4, 20),
    per_range=st.sampled_from([5, 30, cliff_history.COMMITS_PER_RANGE]),
)
def test_split_or_not_the_bytes_are_one_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, lines: int, per_range: int
) -> None:
    monkeypatch.setattr(cliff_history, "COMMITS_PER_RANGE", per_range)  # ranges of any size
    repo = tmp_path / f"h{seed}-{lines}"
    shutil.rmtree(repo, ignore_errors=True)
    maintained(repo, seed, lines)
    expected = one_run(repo, cliff.default_config())
    assert changelog_text(repo, unreleased=False) == expected  # the whole-history parse
    monkeypatch.setattr(cliff_whole, "whole_changelog", lambda *args: None)
    assert changelog_text(repo, unreleased=False) == expected  # in ranges
    assert changelog_text(repo, unreleased=False) == expected  # from the cache when split


@pytest.fixture
def ranges_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The range path alone, where the whole-history parse (cliff_context) would answer."""
    monkeypatch.setattr(cliff_whole, "whole_changelog", lambda *args: None)


@pytest.mark.usefixtures("ranges_only")
def test_a_maintained_history_is_split_at_the_cuts_the_walk_allows(tmp_path: Path) -> None:
    repo = tmp_path / "maintained"
    maintained(repo, seed=0, lines=18)
    git = Git.discover(repo)
    tags = release_chain(git, FMT)
    cuts = cliff_history.walk_cuts(git.history())
    commits = git.rev_parse(*(f"refs/tags/{t}^{{commit}}" for t in tags))
    usable = [t for t, c in zip(tags, commits, strict=True) if c in cuts]
    # the patches of older lines are not cuts; enough others are, so the split runs
    assert cliff_history.MIN_TAGS <= len(usable) < len(tags)
    assert changelog_text(repo, unreleased=False) == one_run(repo, cliff.default_config())
    assert any(cache_of(repo).iterdir())  # the split ran and kept its released ranges


@pytest.mark.usefixtures("ranges_only")
def test_every_tag_as_a_cut_would_break_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the walk check prevents: cutting at a patch of an older line reorders sections."""
    repo = tmp_path / "maintained"
    maintained(repo, seed=0, lines=18)
    monkeypatch.setattr(cliff_history, "walk_cuts", lambda rows: {r.split()[1] for r in rows})
    monkeypatch.setattr(cliff_history, "COMMITS_PER_RANGE", 5)  # many short ranges
    assert changelog_text(repo, unreleased=False) != one_run(repo, cliff.default_config())


@pytest.mark.usefixtures("ranges_only")
def test_a_range_never_starts_with_a_release_one_run_drops(tmp_path: Path) -> None:
    """A prerelease whose only commit the parsers skip: one run drops it (the release before
    it has commits); a range starting right before it would show it empty."""
    repo = tmp_path / "maintained"
    maintained(repo, seed=402, lines=17)  # found by the property test
    expected = one_run(repo, cliff.default_config())
    assert "## [3.11.0-alpha.1]" not in expected
    assert changelog_text(repo, unreleased=False) == expected


@pytest.mark.parametrize(
    "option", ['skip_tags = "v3.1.0"', 'ignore_tags = "alpha"', "topo_order_commits = true"]
)
def test_skipped_and_ignored_tags_keep_one_run(tmp_path: Path, option: str) -> None:
    repo = tmp_path / "maintained"
    maintained(repo, seed=3, lines=18)
    config = repo / "cliff.toml"
    config.write_text(cliff.default_config().read_text().replace("[git]", f"[git]\n{option}", 1))
    assert not cliff_history.splittable(cliff.load_config(config))
    assert changelog_text(repo, unreleased=False) == one_run(repo, config)


@pytest.mark.usefixtures("ranges_only")
def test_an_unreleased_section_the_parsers_leave_empty_is_not_shown(tmp_path: Path) -> None:
    """One run drops an unreleased section whose commits its parsers all skip; the newest
    range, rendered alone, would show it as an empty section."""
    import subprocess

    repo = tmp_path / "maintained"
    maintained(repo, seed=0, lines=18)
    (repo / "tidy.txt").write_text("tidy\n")
    tidy = (["add", "tidy.txt"], ["commit", "-q", "-m", "chore: tidy up"])
    for args in (["tag", "v99.0.0"], *tidy):  # a release, then only a skipped commit
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    expected = one_run(repo, cliff.default_config())
    assert "[Unreleased]" not in expected  # the built-in parsers skip chore commits
    assert changelog_text(repo, unreleased=False) == expected
    assert any(cache_of(repo).iterdir())  # the split ran

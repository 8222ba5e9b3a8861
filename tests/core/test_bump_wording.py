"""Reasons are worded by the bump that results: a breaking change on 0.x makes a minor
release (breaking_while_zero), and is reported as one, never as "major"."""

from __future__ import annotations

from release.base.versioning import Bump, Version, resulting_bump
from release.core.plan.planning import plan
from release.core.plan.release_mode import independent_plan
from release.core.settings import config
from release.core.settings.config_version import VersionConfig, rules_from
from release.tools.git import Git
from tests.conftest import Repo


def test_resulting_bump() -> None:
    rules = rules_from(VersionConfig())
    assert resulting_bump(Version.parse("0.5.3"), Bump.MAJOR, rules) == (
        Bump.MINOR,
        " (breaking change on 0.x)",
    )
    assert resulting_bump(Version.parse("1.5.3"), Bump.MAJOR, rules) == (Bump.MAJOR, "")
    zero_major = rules_from(VersionConfig(breaking_while_zero="major"))
    assert resulting_bump(Version.parse("0.5.3"), Bump.MAJOR, zero_major) == (Bump.MAJOR, "")


def test_lockstep_breaking_chore_on_zero(repo: Repo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "p"\nversion = "0.5.3"\n')
    repo.commit("chore(release): v0.5.3")
    repo.tag("v0.5.3")
    repo.commit("chore!: drop the old config file")
    ctx = plan(repo.path, None, None)
    assert str(ctx.version) == "0.6.0"
    assert ctx.reason == "minor bump of 0.5.3 (breaking change on 0.x)"
    assert ctx.bump is Bump.MINOR  # `release next --json` says "minor" too


def test_independent_breaking_chores_on_zero(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["a", "b"]\n')
    repo.write("a/Cargo.toml", '[package]\nname = "a"\nversion = "0.5.3"\n')
    repo.write("b/Cargo.toml", '[package]\nname = "b"\nversion = "1.2.0"\n')
    repo.commit("chore: release")
    repo.tag("a-v0.5.3")
    repo.tag("b-v1.2.0")
    repo.commit("chore(a)!: drop a flag", file="a/notes.txt")
    repo.commit("chore(a)!: drop another", file="a/notes.txt")
    repo.commit("feat(b)!: a new API", file="b/notes.txt")
    git = Git.discover(repo.path)
    plans = {p.package.name: p for p in independent_plan(git, config.load(repo.path), None) or []}
    assert str(plans["a"].version) == "0.6.0"
    assert "minor (breaking change on 0.x): 2 commit(s) (chore)" in plans["a"].reasons
    assert not any(r.startswith("major") for r in plans["a"].reasons)
    assert plans["a"].bump is Bump.MINOR
    assert str(plans["b"].version) == "2.0.0"
    assert "major: 1 commit(s) (feat)" in plans["b"].reasons

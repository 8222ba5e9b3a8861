"""A partial cut (`--only`, `--skip`) says exactly what it did and never claims a release."""

from __future__ import annotations

import json

from release.core.engine.journal import Journal
from release.tools.git import Git
from tests.conftest import Repo, run_release


def _project(repo: Repo) -> None:
    repo.write("pyproject.toml", '[project]\nname = "demo"\nversion = "1.2.0"\n')
    repo.commit("feat: first")
    repo.tag("v1.2.0")
    repo.commit("fix: second")


def test_only_the_changelog_on_a_detached_head_is_no_release(repo: Repo) -> None:
    _project(repo)
    repo.git("checkout", "-q", "--detach")
    result = run_release(repo.path, "cut", "1.2.1", "--only", "changelog", "--yes")
    assert result.code == 0, result.err
    assert "released" not in result.out.replace("not released", "")
    assert "partial cut of v1.2.1: ran changelog; no tag made" in result.out
    assert "## [1.2.1]" in (repo.path / "CHANGELOG.md").read_text()
    assert "v1.2.1" not in repo.git("tag", "-l")
    journal = Journal.all(Git(repo.path).git_dir())[-1].summary()
    assert journal["state"] == "partial"
    status = run_release(repo.path, "status")
    assert "v1.2.1: partial cut" in status.out and "released" not in status.out.split(":")[1]
    resumed = run_release(repo.path, "resume", "--yes")
    assert resumed.code == 2 and "no interrupted release" in resumed.err


def test_a_partial_cut_that_tags_says_so_and_the_json_says_partial(repo: Repo) -> None:
    _project(repo)
    steps = ["--only", "changelog", "--only", "bump", "--only", "commit-tag"]
    result = run_release(repo.path, "cut", "1.2.1", *steps, "--yes", "--json")
    assert result.code == 0, result.err
    envelope = json.loads(result.out)
    assert envelope["partial"] is True
    assert [s["name"] for s in envelope["steps"]] == ["changelog", "bump", "commit-tag"]
    assert "v1.2.1" in repo.git("tag", "-l")
    repo.git("tag", "-d", "v1.2.1")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    again = run_release(repo.path, "cut", "1.2.1", *steps, "--yes")
    assert "partial cut of v1.2.1: ran changelog, bump, commit-tag; tagged v1.2.1" in again.out

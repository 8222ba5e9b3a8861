"""`release init --pr --workflow FILE`: the release pull request's workflow in the variant the
project's release mode calls for, written through the toolkit's action at this version. A
project whose own workflow releases a pushed tag ([git] mode = "tag-trigger") gets the
variant that tags and starts that workflow, never one that would publish a second time;
independent versions get the split one (a build leg per package)."""

from __future__ import annotations

from typing import Any

import yaml

from release import __version__
from tests.conftest import Repo, run_release

PR_WORKFLOW = ".github/workflows/release-pr.yml"
TAG_WORKFLOW = """name: publish
on:
  push:
    tags: ["v*"]
{extra}jobs:
  publish:
    runs-on: ubuntu-24.04
    steps:
      - run: echo publish
"""
PYPROJECT = '[project]\nname = "{name}"\nversion = "{version}"\n'


def _python(repo: Repo, folder: str, name: str, version: str) -> None:
    repo.write(f"{folder}/pyproject.toml", PYPROJECT.format(name=name, version=version))


def _written(repo: Repo, *extra: str) -> tuple[dict[Any, Any], str]:
    done = run_release(repo.path, "init", "--pr", "--workflow", PR_WORKFLOW, *extra)
    assert done.code == 0, done.err
    data: dict[Any, Any] = yaml.safe_load((repo.path / PR_WORKFLOW).read_text())
    return data, done.out + done.err


def _toolkit_commands(data: dict[Any, Any]) -> dict[str, list[str]]:
    uses = f"release-toolkit/release-toolkit@v{__version__}"
    return {
        name: [s["with"]["command"] for s in job["steps"] if s.get("uses") == uses]
        for name, job in data["jobs"].items()
    }


def test_a_tag_trigger_project_gets_the_variant_that_starts_its_tag_workflow(
    repo: Repo,
) -> None:
    _python(repo, ".", "solo", "1.0.0")
    repo.write(".github/workflows/publish.yml", TAG_WORKFLOW.format(extra=""))
    repo.commit("chore: start")
    repo.tag("v1.0.0")
    data, said = _written(repo)
    assert 'mode = "tag-trigger"' in (repo.path / "release-toolkit.toml").read_text()
    assert set(data["jobs"]) == {"pull-request", "release"}  # no build, no publish of its own
    assert _toolkit_commands(data) == {"pull-request": ["pr"], "release": ["cut --yes"]}
    release = data["jobs"]["release"]
    assert release["permissions"] == {"contents": "write", "actions": "write"}
    assert "for workflow in publish.yml;" in release["steps"][-1]["run"]
    # publish.yml cannot be started by hand yet: init says what to add, and changes nothing.
    assert "add `workflow_dispatch:` to the triggers of .github/workflows/publish.yml" in said
    assert "workflow_dispatch" not in (repo.path / ".github/workflows/publish.yml").read_text()
    assert (
        f"git ls-remote https://github.com/release-toolkit/release-toolkit refs/tags/v{__version__}"
        in said
    )


def test_a_tag_workflow_that_can_be_started_by_hand_needs_no_word(repo: Repo) -> None:
    _python(repo, ".", "solo", "1.0.0")
    extra = "  workflow_dispatch:\n"
    repo.write(".github/workflows/ship.yml", TAG_WORKFLOW.format(extra=extra))
    repo.commit("chore: start")
    data, said = _written(repo)
    assert "for workflow in ship.yml;" in data["jobs"]["release"]["steps"][-1]["run"]
    assert "workflow_dispatch" not in said


def test_the_mode_the_existing_config_says_decides(repo: Repo) -> None:
    """A project configured already: its [git] mode, not what init would have guessed."""
    _python(repo, ".", "solo", "1.0.0")
    repo.write(".github/workflows/publish.yml", TAG_WORKFLOW.format(extra=""))
    repo.write("release-toolkit.toml", '[git]\nmode = "local"\n')
    repo.commit("chore: start")
    data, _ = _written(repo)
    assert set(data["jobs"]) == {"pull-request", "plan", "build", "release"}


def test_configured_tag_trigger_without_a_tag_workflow_starts_release_yml(repo: Repo) -> None:
    """[git] mode = "tag-trigger" and no workflow of the project's on a tag: the one that
    releases the tag is release.yml (init's own, which can be started on a tag)."""
    _python(repo, ".", "solo", "1.0.0")
    repo.write("release-toolkit.toml", '[git]\nmode = "tag-trigger"\n')
    repo.commit("chore: start")
    data, _ = _written(repo)
    assert "for workflow in release.yml;" in data["jobs"]["release"]["steps"][-1]["run"]


def test_independent_packages_get_the_split_workflow(repo: Repo) -> None:
    _python(repo, "alpha", "alpha", "0.1.0")
    _python(repo, "beta", "beta", "1.0.0")
    repo.commit("chore: start")
    data, _ = _written(repo)
    assert 'mode = "independent"' in (repo.path / "release-toolkit.toml").read_text()
    assert _toolkit_commands(data) == {
        "pull-request": ["pr"],
        "plan": ["verify --json --only changelog --only bump"],
        "build": ["build ${{ matrix.args }}"],
        "release": ["cut --yes --artifacts ${{ runner.temp }}/artifacts", "status"],
    }
    assert not (repo.path / ".github" / "workflows" / "release.yml").exists()


def test_printed_it_is_the_same_text(repo: Repo) -> None:
    _python(repo, ".", "solo", "1.0.0")
    repo.commit("chore: start")
    printed = run_release(repo.path, "init", "--pr", "--workflow", "-")
    assert printed.code == 0, printed.err
    assert f"uses: release-toolkit/release-toolkit@v{__version__} " in printed.out
    assert "jobs:" in printed.out and not (repo.path / PR_WORKFLOW).exists()


def test_pinned_the_action_runs_at_the_commit_given(repo: Repo) -> None:
    """`--pin COMMIT` (the commit `git ls-remote` prints for the toolkit's tag): every step
    runs the action at that commit, the version in a comment, and zizmor asks for nothing."""
    _python(repo, ".", "solo", "1.0.0")
    repo.commit("chore: start")
    commit = "0123456789abcdef0123456789ABCDEF01234567"
    data, said = _written(repo, "--pin", commit)
    text = (repo.path / PR_WORKFLOW).read_text()
    uses = [s["uses"] for job in data["jobs"].values() for s in job["steps"] if "uses" in s]
    toolkit = [u for u in uses if u.startswith("release-toolkit/")]
    assert toolkit and set(toolkit) == {f"release-toolkit/release-toolkit@{commit.lower()}"}
    assert text.count(f"@{commit.lower()} # v{__version__}\n") == len(toolkit)
    assert "unpinned-uses" not in text and f"@v{__version__}" not in text
    assert f"at commit {commit.lower()}" in said and "then release init --pin" not in said


def test_a_pin_that_is_not_a_commit_changes_nothing(repo: Repo) -> None:
    _python(repo, ".", "solo", "1.0.0")
    repo.commit("chore: start")
    for pin in (f"v{__version__}", "0123456", "g" * 40):
        done = run_release(repo.path, "init", "--pr", "--workflow", PR_WORKFLOW, "--pin", pin)
        assert done.code == 2, done.out + done.err
        assert f"--pin {pin}: not a full commit id" in done.err
        assert "git ls-remote" in done.err
        assert not (repo.path / PR_WORKFLOW).exists()
        assert not (repo.path / "release-toolkit.toml").exists()

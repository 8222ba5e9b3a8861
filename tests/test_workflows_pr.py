"""The release pull request's workflows `release init --pr` writes: the split one (merged,
the release is planned, built on a runner per leg and cut once with the runners' files;
lockstep and independent versions alike) and, for [git] mode = "tag-trigger", the one that
tags and starts the project's own tag workflow. Their structure, permissions, job order and
matrix; tests/test_workflows.py validates them with the schema and zizmor."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from release.commands.init_workflow import ACTION_REPOSITORY, workflow
from release.core.engine.matrix import LEG_KEYS

from .test_workflows import normalized

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = f"{ACTION_REPOSITORY}@v0.1.0"


def _load(text: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(text)
    return data


def _toolkit_commands(job: dict[str, Any]) -> list[str]:
    return [s["with"]["command"] for s in job["steps"] if s.get("uses") == TOOLKIT]


def _secrets(job: dict[str, Any]) -> set[str]:
    return set(re.findall(r"secrets\.(\w+)", yaml.safe_dump(job)))


def test_merged_the_release_is_planned_built_per_leg_then_cut_once() -> None:
    data = _load(workflow("0.1.0", pull_request=True))
    assert data["permissions"] == {}
    assert data[True] == {"push": {"branches": ["main"]}}  # YAML 1.1 reads `on` as true
    jobs = data["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "pull-request": {"contents": "write", "pull-requests": "write"},
        "plan": {"contents": "read"},
        "build": {"contents": "read"},
        "release": {"contents": "write", "id-token": "write"},
    }
    keeper, plan, build, release = (jobs[n] for n in ("pull-request", "plan", "build", "release"))
    assert _toolkit_commands(keeper) == ["pr"]
    assert keeper["outputs"]["state"] == "${{ steps.pr.outputs.state }}"
    # Only the merged release commit goes on, after the pull request job.
    assert plan["needs"] == "pull-request"
    assert plan["if"] == "needs.pull-request.outputs.state == 'prepared'"
    assert _toolkit_commands(plan) == ["verify --json --only changelog --only bump"]
    assert plan["outputs"]["matrix"] == "${{ steps.plan.outputs.matrix }}"
    assert build["needs"] == "plan"
    assert build["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert build["runs-on"] == "${{ matrix.runner }}"
    assert _toolkit_commands(build) == ["build ${{ matrix.args }}"]
    [upload] = [s for s in build["steps"] if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["name"] == "${{ matrix.artifact }}"
    assert upload["with"]["path"] == "${{ matrix.dist }}"
    assert release["needs"] == ["plan", "build"]
    [download] = [s for s in release["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["with"] == {"pattern": "dist-*", "path": "${{ runner.temp }}/artifacts"}
    cut = "cut --yes --artifacts ${{ runner.temp }}/artifacts"
    assert _toolkit_commands(release) == [cut, "status"]  # the journal, if the cut stopped
    assert release["steps"][-1]["if"] == "failure()"
    assert release["environment"] == "release"
    # Secrets: none where the pull request is kept or planned; signing keys where files are
    # signed; the rest only behind the `release` environment.
    assert _secrets(keeper) == _secrets(plan) == set()
    assert _secrets(build) == {"GPG_PRIVATE_KEY", "GPG_PASSPHRASE"}
    assert _secrets(release) >= {"DOCKER_PASSWORD", "HOMEBREW_TAP_TOKEN", "GPG_PRIVATE_KEY"}
    for name, job in jobs.items():
        [checkout] = [s for s in job["steps"] if "checkout" in s.get("uses", "")]
        pushes = name in ("pull-request", "release")  # the release branch; the tags
        assert checkout["with"]["persist-credentials"] is pushes, name
        if name != "build":  # two pushes in quick succession queue, never race or cancel
            assert job["concurrency"]["cancel-in-progress"] is False
            assert "github.ref" in job["concurrency"]["group"]
    assert plan["concurrency"] == release["concurrency"]  # one release at a time


def test_the_build_jobs_read_only_what_a_build_leg_says() -> None:
    """matrix.runner, .target, .args, .artifact, .dist: what build_matrix and train_matrix
    give each leg (core/engine/matrix.py)."""
    for text in (workflow("0.1.0", pull_request=True), workflow("0.1.0")):
        build = yaml.safe_dump(_load(text)["jobs"]["build"])
        read = set(re.findall(r"matrix\.(\w+)", build))
        assert {"runner", "args"} <= read <= set(LEG_KEYS)


def test_the_tag_trigger_variant_tags_then_starts_the_tag_workflows() -> None:
    names = ["release.yml", "publish it.yml"]
    data = _load(workflow("0.1.0", pull_request=True, dispatch=names))
    jobs = data["jobs"]
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "pull-request": {"contents": "write", "pull-requests": "write"},
        "release": {"contents": "write", "actions": "write"},
    }
    release = jobs["release"]
    assert release["if"] == "needs.pull-request.outputs.state == 'prepared'"
    assert _toolkit_commands(release) == ["cut --yes"]  # tag-trigger: tags and pushes only
    start = release["steps"][-1]
    assert start["env"]["TAG"] == "${{ steps.cut.outputs.tag }}"
    assert shlex.split(start["run"].split(";")[0].removeprefix("for workflow in ")) == names
    assert 'gh workflow run "$workflow" --ref "$TAG"' in start["run"]
    assert "secrets." not in yaml.safe_dump(data)
    assert "environment" not in release  # nothing is published here: the tag workflow does
    split = _load(workflow("0.1.0", pull_request=True))
    assert jobs["pull-request"] == split["jobs"]["pull-request"]
    # Started on the tag, init's own release.yml releases that tag; its prepare job (a cut)
    # runs only when it is started on a branch.
    prepare = _load(workflow("0.1.0"))["jobs"]["prepare"]
    assert (
        prepare["if"] == "github.event_name == 'workflow_dispatch' && github.ref_type == 'branch'"
    )


def test_the_projects_release_pr_workflow_keeps_the_pull_request_as_the_template_does() -> None:
    """The project keeps its release pull request as the templates do (the toolkit's action
    from its checkout), and releases the merge through release.yml, which attests too."""
    own_text = (ROOT / ".github" / "workflows" / "release-pr.yml").read_text()
    own = _load(own_text)
    theirs = _load(workflow("0.1.0", pull_request=True, dispatch=["release.yml"]))
    assert own[True] == theirs[True] and own["permissions"] == {}
    own_keeper = yaml.safe_dump(own["jobs"]["pull-request"])
    their_keeper = yaml.safe_dump(theirs["jobs"]["pull-request"])
    assert normalized(own_keeper.replace("uses: ./\n", f"uses: {TOOLKIT} x\n")) == normalized(
        their_keeper.replace(f"uses: {TOOLKIT}\n", f"uses: {TOOLKIT} x\n")
    )
    release = own["jobs"]["release"]
    assert release["if"] == theirs["jobs"]["release"]["if"]
    assert release["permissions"] == {"actions": "write"}
    assert release["steps"][-1]["run"] == 'gh workflow run release.yml --ref "$BRANCH"'
    assert "secrets." not in own_text


def test_the_action_passes_on_every_output_a_command_sets() -> None:
    """What `release pr`, `verify`, `cut`... write to GITHUB_OUTPUT is the action's outputs
    (a composite action's steps' outputs reach the workflow only so)."""
    code = "\n".join(p.read_text() for p in (ROOT / "release").rglob("*.py"))
    set_by_commands = set(re.findall(r'set_output\(\s*"(\w+)"', code))
    action = _load((ROOT / "action.yml").read_text())
    assert set(action["outputs"]) == set_by_commands
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.release.outputs.{name} }}}}", name
    assert action["runs"]["steps"][-1]["id"] == "release"

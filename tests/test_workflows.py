"""The workflows (the project's own release.yml, release-pr.yml and ci.yml, and those
`release init` writes) validate against GitHub's workflow schema, pass zizmor at medium
severity and above, pin every third-party action by commit, run the toolkit through its own
action, and give each permission and secret only to the job that needs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from release.commands.init_workflow import ACTION_REPOSITORY, workflow

ROOT = Path(__file__).resolve().parents[1]
PIN = "0123456789abcdef0123456789abcdef01234567"  # a commit `release init --pin` is given
BIN = Path(sys.executable).parent
OWN = [
    ROOT / ".github" / "workflows" / "release.yml",
    ROOT / ".github" / "workflows" / "ci.yml",
    ROOT / ".github" / "workflows" / "release-pr.yml",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("user-project") / ".github" / "workflows"
    folder.mkdir(parents=True)
    path = folder / "release.yml"
    path.write_text(workflow("0.1.0"))
    (folder / "release-pr.yml").write_text(workflow("0.1.0", pull_request=True))
    dispatching = workflow("0.1.0", pull_request=True, dispatch=["release.yml", "pypi.yml"])
    (folder / "release-pr-tag.yml").write_text(dispatching)
    (folder / "release-pinned.yml").write_text(workflow("0.1.0", commit=PIN))
    return path


def pr_template(template: Path) -> Path:
    """The release pull request's workflow, written beside release.yml."""
    return template.parent / "release-pr.yml"


def dispatch_template(template: Path) -> Path:
    """Its variant for [git] mode = "tag-trigger": the tag workflows release."""
    return template.parent / "release-pr-tag.yml"


def pinned_template(template: Path) -> Path:
    """release.yml as `release init --pin COMMIT` writes it."""
    return template.parent / "release-pinned.yml"


def written(template: Path) -> list[Path]:
    return [template, pr_template(template), dispatch_template(template), pinned_template(template)]


TOOLKIT = re.compile(r"uses: (\./|" + re.escape(ACTION_REPOSITORY) + r"@v[\w.]+) .*$", re.M)


def normalized(text: str) -> list[str]:
    """The lines that are not comments, with the toolkit's action (the checkout's own, or
    the released one) named alike."""
    text = TOOLKIT.sub("uses: TOOLKIT", text)
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text())
    return data


def test_schema(template: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in [*OWN, *written(template)]],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_of_medium_severity(template: Path) -> None:
    for folder in (ROOT / ".github" / "workflows", template.parent):
        proc = subprocess.run(
            [str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(folder)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "No findings to report" in proc.stdout + proc.stderr


def test_actions_are_pinned_by_commit_and_the_toolkit_runs_through_its_action(
    template: Path,
) -> None:
    toolkit = {path: f"{ACTION_REPOSITORY}@v0.1.0" for path in written(template)}
    toolkit[pinned_template(template)] = f"{ACTION_REPOSITORY}@{PIN}"
    for path in [*OWN, *written(template)]:
        text = path.read_text()
        uses = re.findall(r"uses:\s*(\S+)", text)
        assert uses, path
        for use in uses:
            if use in ("./", toolkit.get(path)):
                continue
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), f"{path.name}: {use}"
        assert "pip install" not in text, path  # the action installs, with its pins
        runs = [line for line in text.splitlines() if re.match(r"\s+(run:|release )", line)]
        assert not [line for line in runs if re.search(r"\brelease (?!init)", line)], path
    for path in written(template):
        assert toolkit[path] in path.read_text() and "uses: ./" not in path.read_text()


def test_least_privilege_and_secrets_where_needed(template: Path) -> None:
    data = load(template)
    assert data["permissions"] == {}
    jobs = data["jobs"]
    # The workflow's identity only where it signs (attestations) or publishes (trusted
    # publishing); never in the jobs that run the project's build.
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "prepare": {"contents": "write"},
        "plan": {"contents": "read"},
        "build": {"contents": "read"},
        "attest": {"contents": "read", "id-token": "write", "attestations": "write"},
        "attest-sbom": {"id-token": "write", "attestations": "write"},
        "publish": {"contents": "write", "id-token": "write"},
    }
    text = {name: yaml.safe_dump(job) for name, job in jobs.items()}
    assert "secrets." not in text["prepare"] + text["plan"]
    assert set(re.findall(r"secrets\.(\w+)", text["build"])) == {
        "GPG_PRIVATE_KEY",
        "GPG_PASSPHRASE",
    }
    assert "secrets." not in text["attest"] + text["attest-sbom"]
    # Trusted publishing: no registry token is stored for PyPI or crates.io.
    assert set(re.findall(r"secrets\.(\w+)", text["publish"])) == {
        "DOCKER_USERNAME",
        "DOCKER_PASSWORD",
        "GPG_PRIVATE_KEY",
        "GPG_PASSPHRASE",
        "HOMEBREW_TAP_TOKEN",
        "SLACK_WEBHOOK_URL",
    }
    assert jobs["publish"]["environment"] == "release"
    assert data["concurrency"]["group"] == "release-${{ github.ref }}"
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["tags"] == ["v*.*.*"] and "workflow_dispatch" in triggers
    for name, job in jobs.items():
        checkout = next((s for s in job["steps"] if "checkout" in s.get("uses", "")), None)
        if checkout is None:
            assert name == "attest-sbom"  # it only downloads the runners' files
            continue
        assert checkout["with"]["fetch-depth"] == 0, name
        assert checkout["with"]["persist-credentials"] is (name == "prepare"), name
    assert jobs["build"]["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"


def test_the_plan_job_leaves_each_targets_toolchain_to_its_build_legs_runner(
    template: Path,
) -> None:
    """The plan job runs on Ubuntu: it checks what holds on any machine, and each target
    (a macOS one, a Windows one) is checked and built by `release build --target` on the
    runner its leg names, after that leg's `rustup target add`: the build legs of release.yml
    and of the release pull request's workflow are one, from the checkout on."""
    jobs = load(template)["jobs"]
    plan, build = jobs["plan"], jobs["build"]
    assert plan["runs-on"].startswith("ubuntu-")
    [command] = [s["with"]["command"] for s in plan["steps"] if "command" in s.get("with", {})]
    assert command.split() == [
        *("verify", "--json", "--targets-on-runners"),
        *("--only", "binaries", "--only", "wheels", "--only", "sbom"),
    ]
    assert build["runs-on"] == "${{ matrix.runner }}"
    their_build = load(pr_template(template))["jobs"]["build"]
    assert build["runs-on"] == their_build["runs-on"]
    assert build["steps"][1:] == their_build["steps"][1:]  # after each one's checkout
    assert [s["run"] for s in build["steps"] if "rustup" in s.get("run", "")] == [
        'rustup target add "$TARGET"'
    ]


def test_every_artifact_is_attested_before_anything_is_published(template: Path) -> None:
    jobs = load(template)["jobs"]
    uses = {
        name: [step.get("uses", "").split("@")[0] for step in job["steps"]]
        for name, job in jobs.items()
    }
    provenance = next(
        s for s in jobs["attest"]["steps"] if "attest-build-provenance" in s.get("uses", "")
    )
    # SHA256SUMS is where the project's [build] dist is, which the plan job tells
    assert provenance["with"] == {"subject-checksums": "${{ needs.plan.outputs.dist }}/SHA256SUMS"}
    assert jobs["plan"]["outputs"]["dist"] == "${{ steps.plan.outputs.dist }}"
    [sbom_subjects] = [s for s in jobs["attest"]["steps"] if s.get("id") == "sboms"]
    assert sbom_subjects["env"] == {"DIST": "${{ needs.plan.outputs.dist }}"}
    assert '"$DIST/artifacts.json"' in sbom_subjects["run"]
    [sbom] = [
        s for s in jobs["attest-sbom"]["steps"] if s.get("uses", "").startswith("actions/attest@")
    ]
    assert sbom["with"] == {
        "subject-path": "${{ matrix.subjects }}",
        "sbom-path": "dist/${{ matrix.sbom }}",
    }
    assert jobs["attest-sbom"]["strategy"]["matrix"]["include"] == (
        "${{ fromJSON(needs.attest.outputs.sboms) }}"
    )
    assert "actions/attest-build-provenance" not in uses["publish"] + uses["build"]
    # publish waits for both, and runs when there was no SBOM to attest.
    assert set(jobs["publish"]["needs"]) >= {"attest", "attest-sbom"}
    assert "needs.attest.result == 'success'" in jobs["publish"]["if"]
    assert '"skipped"' in jobs["publish"]["if"]


def test_the_projects_release_yml_is_the_template_through_its_own_checkout(
    template: Path,
) -> None:
    """The project releases itself with the workflow init writes, the toolkit's action taken
    from the checkout (`./`) rather than from a release tag."""
    own = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert normalized(own) == normalized(template.read_text())
    assert own.count("uses: ./ ") == template.read_text().count(f"{ACTION_REPOSITORY}@v0.1.0")


def test_ci_runs_the_suite_on_every_python() -> None:
    data = load(OWN[1])
    [job] = data["jobs"].values()
    assert job["strategy"]["matrix"]["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert any(step.get("run") == "./scripts/test" for step in job["steps"])


def test_the_composite_action_validates_and_installs_its_own_ref() -> None:
    action = ROOT / "action.yml"
    schema = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(action)],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(action)],
        capture_output=True,
        text=True,
    )
    assert audit.returncode == 0 and "No findings" in audit.stdout + audit.stderr, audit.stderr
    data = load(action)
    assert data["runs"]["using"] == "composite" and set(data["inputs"]) >= {"command", "version"}
    for use in re.findall(r"uses:\s*(\S+)", action.read_text()):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), use
    runs = "\n".join(step.get("run", "") for step in data["runs"]["steps"])
    assert "${{" not in runs  # inputs reach the shell as environment variables, never inlined
    assert '"$ACTION_PATH"' in runs  # the action's own checkout, at the ref the user pinned

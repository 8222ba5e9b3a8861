"""The steps of the workflows `release init` writes, run as the runner runs them (bash -eo
pipefail in the checkout, GITHUB_OUTPUT a file; a step that uses the toolkit's action runs
action.yml's script with the step's command), so the e2e tests check the workflows' own
commands rather than a copy of them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from release.commands.init_workflow import workflow

ROOT = Path(__file__).resolve().parents[2]


def _step(text: str, job: str, name: str) -> dict[str, Any]:
    steps = yaml.safe_load(text)["jobs"][job]["steps"]
    [found] = [s for s in steps if s.get("name") == name]
    return dict(found)


def script(job: str, name: str, text: str | None = None) -> str:
    found = _step(text or workflow("0.0.0"), job, name)
    if "run" in found:
        return str(found["run"])
    return str(yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"][-1]["run"])


def plan_command(text: str | None = None) -> str:
    """The toolkit command of release.yml's plan job (or of `text`'s)."""
    found = _step(text or workflow("0.0.0"), "plan", "Plan (version, tag, build matrix)")
    return str(found["with"]["command"])


def run_step(
    job: str,
    name: str,
    cwd: Path,
    outputs: Path,
    *,
    text: str | None = None,
    values: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    code: int = 0,
) -> None:
    """The step as the runner runs it; a step that uses the toolkit's action runs the
    action's own script with its `command` (`values`: what its expressions stand for, in
    the command and in the step's `env`, whose other entries `env` gives); `code`: the exit
    status it should end with."""
    found = _step(text or workflow("0.0.0"), job, name)

    def resolved(template: str) -> str:
        for expression, value in (values or {}).items():
            template = template.replace(f"${{{{ {expression} }}}}", value)
        return template

    command = resolved(str(found.get("with", {}).get("command", "")))
    assert "${{" not in command, command
    step_env = {key: resolved(str(value)) for key, value in (found.get("env") or {}).items()}
    step_env = {key: value for key, value in step_env.items() if "${{" not in value}
    full_env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(outputs),
        "COMMAND": command,
        **step_env,
        **(env or {}),
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script(job, name, text)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == code, f"{job} / {name}:\n{proc.stdout}\n{proc.stderr}"


def attest_job(
    checkout: Path, runners: list[Path], dist: str = "dist"
) -> tuple[str, list[dict[str, Any]]]:
    """The attest job on `checkout` with the runners' dist/ downloaded as download-artifact
    lays them out: SHA256SUMS (the provenance's subjects) and the SBOM matrix. `dist`: the
    plan job's `dist` output (the project's `[build] dist`)."""
    for number, folder in enumerate(runners):
        shutil.copytree(folder, checkout / "artifacts" / f"dist-{number}")
    outputs = checkout.parent / f"{checkout.name}-github-output"
    plan = {"needs.plan.outputs.dist": dist}
    run_step("attest", "SHA256SUMS over every runner's artifacts", checkout, outputs)
    run_step("attest", "Each SBOM and the files it describes", checkout, outputs, values=plan)
    [line] = [line for line in outputs.read_text().splitlines() if line.startswith("sboms=")]
    sboms: list[dict[str, Any]] = json.loads(line.removeprefix("sboms="))
    return (checkout / dist / "SHA256SUMS").read_text(), sboms

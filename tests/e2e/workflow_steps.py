"""The `run:` steps of the workflow `release init` writes, run as the runner runs them (bash
-eo pipefail in the checkout, GITHUB_OUTPUT a file), so the e2e tests check the workflow's own
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

from release.commands.init import workflow


def script(job: str, name: str) -> str:
    steps = yaml.safe_load(workflow("0.0.0"))["jobs"][job]["steps"]
    [found] = [s for s in steps if s.get("name") == name]
    return str(found["run"])


def run_step(job: str, name: str, cwd: Path, outputs: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(outputs),
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script(job, name)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"{job} / {name}:\n{proc.stdout}\n{proc.stderr}"


def attest_job(checkout: Path, runners: list[Path]) -> tuple[str, list[dict[str, Any]]]:
    """The attest job on `checkout` with the runners' dist/ downloaded as download-artifact
    lays them out: SHA256SUMS (the provenance's subjects) and the SBOM matrix."""
    for number, dist in enumerate(runners):
        shutil.copytree(dist, checkout / "artifacts" / f"dist-{number}")
    outputs = checkout.parent / f"{checkout.name}-github-output"
    run_step("attest", "SHA256SUMS over every runner's artifacts", checkout, outputs)
    run_step("attest", "Each SBOM and the files it describes", checkout, outputs)
    [line] = [line for line in outputs.read_text().splitlines() if line.startswith("sboms=")]
    sboms: list[dict[str, Any]] = json.loads(line.removeprefix("sboms="))
    return (checkout / "dist" / "SHA256SUMS").read_text(), sboms

""".ci/run removes the loopback services' programs only in CI (`CI=true`): a contributor who
runs it locally keeps them.

.ci/run runs for real in a copy of the repository's layout whose scripts/demo and scripts/test
are stand-ins, with a dpkg that says every package is installed, an id that says root, and an
apt-get that records what it was asked (tests change nothing on the machine)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_ci(tmp_path: Path, ci: str | None) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    (tmp_path / ".ci").mkdir()
    shutil.copy(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    (tmp_path / "scripts").mkdir()
    log = tmp_path / "calls.log"
    fake = tmp_path / "bin"
    fake.mkdir()
    stand_ins = {
        "scripts/demo": 'echo "scripts/demo ran"',
        "scripts/test": f'echo "scripts/test $*" >> "{log}"',
        "bin/dpkg": "exit 0",
        "bin/id": '[ "$1" = -u ] && echo 0',
        "bin/apt-get": f'echo "apt-get $*" >> "{log}"',
    }
    for name, body in stand_ins.items():
        path = tmp_path / name
        path.write_text(f"#!/bin/bash\n{body}\n")
        path.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = f"{fake}{os.pathsep}{env['PATH']}"
    if ci is not None:
        env["CI"] = ci
    proc = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")], capture_output=True, text=True, env=env, timeout=60
    )
    return proc, log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_outside_ci_the_services_stay(tmp_path: Path, ci: str | None) -> None:
    proc, calls = run_ci(tmp_path, ci)
    assert proc.returncode == 0, proc.stderr
    assert [call for call in calls if call.startswith("apt-get")] == []
    assert "keeping docker-registry skopeo ruby" in proc.stdout
    assert "scripts/test -q" in calls  # the check itself still runs


def test_in_ci_they_are_removed_first(tmp_path: Path) -> None:
    proc, calls = run_ci(tmp_path, "true")
    assert proc.returncode == 0, proc.stderr
    removals = [call for call in calls if call.startswith("apt-get")]
    assert removals == ["apt-get remove -y -qq docker-registry skopeo ruby"] * 2
    assert calls[-1] == "scripts/test -q"

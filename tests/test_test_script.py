"""`./scripts/test --fast` bootstraps only when pyproject.toml changed since the last bootstrap,
then runs the checks and the fast tier; `./scripts/test` always bootstraps.

scripts/test runs for real in a copy of the repository's layout whose scripts/bootstrap and
.venv programs are stand-ins that record their calls."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOTSTRAP = 'echo bootstrap >> "{log}"\nsha256sum pyproject.toml > .venv/.bootstrapped-test\n'


def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "test", tmp_path / "scripts" / "test")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    (tmp_path / "scripts" / "bootstrap").write_text(BOOTSTRAP.format(log=log))
    for tool in ("ruff", "lint-imports", "mypy", "pytest"):
        path = tmp_path / ".venv" / "bin" / tool
        path.write_text(f'#!/bin/bash\necho "{tool} $*" >> "{log}"\n')
        path.chmod(0o755)
    return tmp_path


def run(repo: Path, *args: str) -> list[str]:
    log = repo / "calls.log"
    log.unlink(missing_ok=True)
    proc = subprocess.run(
        ["bash", str(repo / "scripts" / "test"), *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return log.read_text().splitlines()


def test_fast_bootstraps_only_when_pyproject_changed(tmp_path: Path) -> None:
    repo = checkout(tmp_path)
    first = run(repo, "--fast", "-q")
    assert first[0] == "bootstrap"  # no stamp yet
    assert first[-1] == "pytest -m not slow -q"
    again = run(repo, "--fast", "-q")
    assert "bootstrap" not in again
    assert again == first[1:]  # ruff, import contracts, mypy, the fast tier
    with (repo / "pyproject.toml").open("a") as handle:
        handle.write('version = "2"\n')
    assert run(repo, "--fast")[0] == "bootstrap"


def test_the_whole_check_always_bootstraps(tmp_path: Path) -> None:
    repo = checkout(tmp_path)
    run(repo, "--fast")
    calls = run(repo, "-n", "0")
    assert calls[0] == "bootstrap"
    assert calls[-1] == "pytest -n 0"
    assert "mypy " in calls

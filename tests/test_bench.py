"""The benchmark itself is not a test; this only checks that `scripts/bench --quick` runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_bootstrapping

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.reinstalls_venv
def test_quick_bench_runs(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    proc = run_bootstrapping(
        [str(ROOT / "scripts" / "bench"), "--quick", "--output", str(output)], timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = output.read_text()
    row = next(line for line in table.splitlines() if line.startswith("| `release next`"))
    assert "| yes |" in row  # our answer is the generated repository's expected version

"""Soak the recovery fault model (tests/e2e/fault_model.py): many more seeded sequences than
the suite runs, bounded in count and in time, in batches (one pytest process and one set of
loopback services per batch). Prints the sequences run, actions, invariant checks and every
failure with its seed and sequence; exits 1 when any invariant failed.

    .venv/bin/python bench/soak_recovery.py --seed 7 --sequences 40 --minutes 30
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/e2e/test_fault_model.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="the first batch's seed")
    parser.add_argument("--sequences", type=int, default=40, help="at most this many")
    parser.add_argument("--minutes", type=float, default=30.0, help="start none after this")
    parser.add_argument("--actions", type=int, default=6, help="random actions per sequence")
    parser.add_argument("--batch", type=int, default=8, help="sequences per pytest process")
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    totals = {"sequences": 0, "actions": 0, "invariant_checks": 0}
    failures: list[str] = []
    outcomes: dict[str, int] = {}
    batch = 0
    started = time.monotonic()
    while totals["sequences"] < args.sequences and time.monotonic() < deadline:
        count = min(args.batch, args.sequences - totals["sequences"])
        seed = args.seed + batch
        with tempfile.TemporaryDirectory() as tmp:
            figures_path = Path(tmp) / "figures.json"
            env = {
                **os.environ,
                "FAULT_MODEL_SEED": str(seed),
                "FAULT_MODEL_SEQUENCES": str(count),
                "FAULT_MODEL_ACTIONS": str(args.actions),
                "FAULT_MODEL_SECONDS": str(max(1, int(deadline - time.monotonic()))),
                "FAULT_MODEL_FIGURES": str(figures_path),
            }
            cmd = [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider", TEST]
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            if not figures_path.is_file():
                failures.append(f"batch seed {seed}: no figures\n{proc.stdout[-3000:]}")
                print("  FAILURE", failures[-1], flush=True)  # the batch's own words
                break
            figures = json.loads(figures_path.read_text())
        for key in totals:
            totals[key] += figures[key]
        failures += figures["failures"]
        for outcome, n in figures.get("outcomes", {}).items():
            outcomes[outcome] = outcomes.get(outcome, 0) + n
        batch += 1
        elapsed = time.monotonic() - started
        print(
            f"batch {batch} (seed {seed}): {figures['sequences']} sequences, "
            f"{figures['actions']} actions, {figures['invariant_checks']} checks, "
            f"{len(figures['failures'])} failures; {elapsed:.0f} s so far",
            flush=True,
        )
        for failure in figures["failures"]:
            print("  FAILURE", failure, flush=True)
    print(
        f"sequences run: {totals['sequences']}, actions: {totals['actions']}, "
        f"invariant checks: {totals['invariant_checks']}, failures: {len(failures)}, "
        f"time: {time.monotonic() - started:.0f} s"
    )
    print("commands by exit code:", ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

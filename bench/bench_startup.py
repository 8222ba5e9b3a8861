"""Start-up of `release next` before and after the layered redesign, side by side.

The redesign (refactor 28c4b46) moved every module; the issue asked that `release next` start
at least as fast as before. Both trees run under the same interpreter and the same installed
dependencies: the old one from a `git worktree` of the commit before the redesign, put first
on PYTHONPATH. Rounds alternate the two so neither always runs on a warm cache. Also counts
the modules each imports (`python -X importtime`), which is what start-up is made of.
Writes bench/RESULTS-startup.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BEFORE = "6f99b06"  # the last commit before the layered packages
sys.path.insert(0, str(HERE))
from gen_repo import generate  # noqa: E402


def worktree(commit: str, where: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(where), commit],
        check=True,
        capture_output=True,
    )
    return where


def compiled(tree: Path) -> Path:
    """Byte-compiled, as pip leaves an installed package: compiling the sources on every run
    (PYTHONDONTWRITEBYTECODE, an unwritable tree) would be measured instead of start-up."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "release")], check=True)
    return tree


def argv(tree: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return [sys.executable, "-m", "release", "next"], env


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the command and its git children: steady
    on a busy machine, where wall time mostly measures the neighbours), and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command} failed in {cwd}: {done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done.stdout.strip()


def imports(command: list[str], env: dict[str, str], cwd: Path) -> tuple[int, int]:
    """(modules imported, of them the project's own) for one run."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    names = [
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line and "cumulative" not in line
    ]
    return len(names), sum(1 for name in names if name.split(".")[0] == "release")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--commits", type=int, nargs="+", default=[200, 10_000])
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        trees = {
            f"before ({BEFORE})": compiled(worktree(BEFORE, Path(scratch) / "before")),
            "after (this tree)": compiled(ROOT),
        }
        try:
            for commits in args.commits:
                repo = Path(scratch) / f"repo-{commits}"
                generate(repo, commits, tags=max(2, commits // 50), seed=1, side_rc=3, foreign=2)
                rows += measure(trees, repo, commits, args.rounds)
        finally:
            old = str(trees[f"before ({BEFORE})"])
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", old])
    report(rows, args.rounds)


def measure(trees: dict[str, Path], repo: Path, commits: int, rounds: int) -> list[str]:
    wall: dict[str, list[float]] = {name: [] for name in trees}
    cpu: dict[str, list[float]] = {name: [] for name in trees}
    printed: dict[str, str] = {}
    names = list(trees)
    for name in names:  # warm-up
        timed(*argv(trees[name]), repo)
    for round_ in range(rounds):
        for name in names[round_ % 2 :] + names[: round_ % 2]:
            elapsed, used, out = timed(*argv(trees[name]), repo)
            wall[name].append(elapsed)
            cpu[name].append(used)
            printed[name] = out
    base = statistics.median(cpu[names[0]])
    rows = [
        f"\n## {commits:,} commits\n",
        "| tree | CPU s (median) | wall s (median) | wall s (min) | modules (own) | printed "
        "| CPU × before |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name in names:
        total, own = imports(*argv(trees[name]), repo)
        median = statistics.median(cpu[name])
        rows.append(
            f"| {name} | {median:.3f} | {statistics.median(wall[name]):.3f} "
            f"| {min(wall[name]):.3f} | {total} ({own}) | {printed[name]} | {median / base:.2f} |"
        )
    return rows


def report(rows: list[str], rounds: int) -> None:
    head = [
        "# `release next` start-up, before and after the layered redesign",
        "",
        f"Python {sys.version.split()[0]}; {os.cpu_count()} cores; {rounds} rounds after one "
        "warm-up, the two trees alternated. Same interpreter and dependencies; the old tree "
        "first on PYTHONPATH; both byte-compiled.",
        "Generated by `python bench/bench_startup.py`.",
    ]
    text = "\n".join(head + rows) + "\n"
    (HERE / "RESULTS-startup.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

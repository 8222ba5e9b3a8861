"""Two commands side by side, run by run: A B A B ... in one repository, the CPU (user +
system of the whole process tree, from the finished child's rusage) and wall time of each,
and the ratio A/B taken pair by pair, then its median. The neighbours of a shared machine
move the wall clock far more than the CPU; alternating keeps both commands under the same
load. Every run must print the same version as the first run of its command (the last one
it prints), and the two
commands the same version (checked: a faster wrong answer is no result).

    python bench/bench_paired.py --repo /tmp/repos/nuxt --runs 9 \\
        -a "release next" -b "cz bump --dry-run --yes"

Prints one Markdown table row (bench/RESULTS-paired.md). Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import statistics
import subprocess
import time
from pathlib import Path

_VERSION = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?")


def once(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """(wall s, stdout) of one run; its CPU is read from our children's rusage around it."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{shlex.join(command)} failed in {cwd}: {err.strip()}")
    return wall, out


def paired(
    a: list[str], b: list[str], cwd: Path, runs: int, env: dict[str, str], compare: bool = True
) -> dict[str, float | str]:
    rows: list[tuple[float, float, float, float]] = []  # cpu a, cpu b, wall a, wall b
    versions: dict[str, str] = {}
    for _ in range(runs):
        figures = []
        for name, command in (("a", a), ("b", b)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall, out = once(command, cwd, env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            found = _VERSION.findall(out)  # cz: "bump: version 1.2.0 → 1.3.0 ... tag v1.3.0"
            version = found[-1] if found else out.strip()
            if versions.setdefault(name, version) != version:
                raise SystemExit(f"{shlex.join(command)} printed {version}, then {versions[name]}")
            figures.append((cpu, wall))
        rows.append((figures[0][0], figures[1][0], figures[0][1], figures[1][1]))
    if compare and versions["a"] != versions["b"]:
        raise SystemExit(f"the two commands disagree: {versions['a']} against {versions['b']}")
    return {
        "version": versions["a"],
        "cpu_a": statistics.median(r[0] for r in rows),
        "cpu_b": statistics.median(r[1] for r in rows),
        "wall_a": statistics.median(r[2] for r in rows),
        "wall_b": statistics.median(r[3] for r in rows),
        "cpu_ratio": statistics.median(r[0] / r[1] for r in rows),
        "wall_ratio": statistics.median(r[2] / r[3] for r in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--label", default=None, help="the table's first column")
    parser.add_argument("-a", required=True, help="the command measured (release next)")
    parser.add_argument("-b", required=True, help="the peer (cz bump --dry-run --yes)")
    parser.add_argument(
        "--any-output", action="store_true", help="B answers another question (verify, next)"
    )
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte-compiled
    a, b = shlex.split(args.a), shlex.split(args.b)
    for command in (a, b):  # one warm-up each: the page cache, the .pyc files
        once(command, args.repo, env)
    found = paired(a, b, args.repo, args.runs, env, compare=not args.any_output)
    label = args.label or args.repo.name
    print(
        f"| {label} | {args.runs} | {found['cpu_a']:.3f} | {found['cpu_b']:.3f} "
        f"| {found['cpu_ratio']:.3f} | {found['wall_ratio']:.3f} "
        f"| {1 / float(found['cpu_ratio']):.2f}× | {1 / float(found['wall_ratio']):.2f}× |"
        f" <!-- {found['version']}; wall {found['wall_a']:.3f} s, {found['wall_b']:.3f} s -->"
    )


if __name__ == "__main__":
    main()

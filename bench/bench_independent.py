"""Independent versions: `release next` on a generated workspace of many crates with their own
tags, against what users script today — `git-cliff --bumped-version` once per package with
`--include-path` and the package's tag pattern.

The workspace: N crates under crates/, chains of path dependencies (ten crates each), and M
commits each touching one or two crates (sometimes the shared Cargo.lock), with conventional
messages; every 2,500 commits the crates changed since their last release are tagged
`{name}-v{version}`, as release-plz does.
Writes bench/RESULTS-independent.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from gen_repo import Stream, message  # noqa: E402

RELEASE = ROOT / ".venv" / "bin" / "release"
CLIFF = ROOT / ".venv" / "bin" / "git-cliff"


def crate(index: int, version: str) -> str:
    text = f'[package]\nname = "pkg{index:03d}"\nversion = "{version}"\nedition = "2021"\n'
    if index % 10 and index > 0:
        dep = index - 1
        text += (
            f'\n[dependencies]\npkg{dep:03d} = {{ path = "../pkg{dep:03d}", version = "0.1" }}\n'
        )
    return text


def generate(dest: Path, packages: int, commits: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    stream = Stream()
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n',
        "release.toml": '[version]\nmode = "independent"\n',
    }
    files.update({f"crates/pkg{i:03d}/Cargo.toml": crate(i, "0.1.0") for i in range(packages)})
    head = stream.blob_commit("refs/heads/main", "chore: start", [], files)
    versions = {i: [0, 1, 0] for i in range(packages)}
    for i in range(packages):
        stream.tag(f"pkg{i:03d}-v0.1.0", head)
    dirty: set[int] = set()
    for n in range(1, commits):
        touched = {rnd.randrange(packages) for _ in range(rnd.choice([1, 1, 1, 2]))}
        change = {f"crates/pkg{i:03d}/src/f{n % 7}.rs": f"// {n}\n" for i in touched}
        if rnd.random() < 0.05:
            change["Cargo.lock"] = f"# {n}\n"
        head = stream.blob_commit("refs/heads/main", message(rnd, n), [head], change)
        dirty |= touched
        if n % 2500 == 0:  # release-plz style: every package changed since its last release
            for i in sorted(dirty):
                versions[i][2] += 1
                stream.tag(f"pkg{i:03d}-v{'.'.join(map(str, versions[i]))}", head)
            dirty.clear()
    stream.write(dest)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=dest, check=True)


def timed(argv: list[str], cwd: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0,):
        raise SystemExit(f"{argv[:3]} failed: {done.stderr[-500:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, done.stdout


def per_package_cliff(repo: Path, packages: int) -> tuple[float, float, int]:
    """What a user scripts: one git-cliff run per package, limited to its folder and tags."""
    wall = cpu = 0.0
    bumped = 0
    for i in range(packages):
        name = f"pkg{i:03d}"
        w, c, out = timed(
            [
                str(CLIFF),
                "--bumped-version",
                "--include-path",
                f"crates/{name}/**",
                "--tag-pattern",
                f"^{name}-v",
            ],
            repo,
        )
        wall, cpu = wall + w, cpu + c
        bumped += bool(out.strip())
    return wall, cpu, bumped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packages", type=int, default=200)
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cliff-packages", type=int, default=20, help="git-cliff runs measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-independent-") as scratch:
        repo = Path(scratch) / "workspace"
        generate(repo, args.packages, args.commits)
        walls, cpus = [], []
        out = ""
        for _ in range(args.rounds):
            wall, cpu, out = timed([str(RELEASE), "next"], repo)
            walls.append(wall)
            cpus.append(cpu)
        released = len(out.splitlines())
        cw, cc, _ = per_package_cliff(repo, args.cliff_packages)
        scale = args.packages / args.cliff_packages
        lines = [
            "# Independent versions: `release next` against git-cliff once per package",
            "",
            f"{args.packages} crates, {args.commits:,} commits, package tags "
            "`{name}-v{version}` (bench/bench_independent.py). "
            f"`release next`: {args.rounds} runs. git-cliff "
            f"(`--bumped-version --include-path crates/NAME/** --tag-pattern ^NAME-v`): run for "
            f"{args.cliff_packages} packages and scaled to {args.packages}.",
            "",
            "| tool | wall s (median) | CPU s (median) | packages to release | × release next |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| `release next` | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} "
            f"| {released} | 1.0 |",
            f"| git-cliff per package (scaled) | {cw * scale:.1f} | {cc * scale:.1f} | — "
            f"| {cw * scale / statistics.median(walls):.0f} |",
        ]
        text = "\n".join(lines) + "\n"
        (HERE / "RESULTS-independent.md").write_text(text)
        print(text)


if __name__ == "__main__":
    main()

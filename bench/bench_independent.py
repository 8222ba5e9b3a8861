"""Independent versions: `release next` on a generated workspace of many crates with their own
tags, against what users script today — `git-cliff --bumped-version` once per package with
`--include-path` and the package's tag pattern.

The workspace: N crates under crates/, chains of path dependencies (ten crates each), and M
commits each touching one or two crates (sometimes the shared Cargo.lock), with conventional
messages; every 2,500 commits the crates changed since their last release are tagged
`{name}-v{version}`, as release-plz does. Its refs are packed, as a clone's are.
`--before SRC` also times the `release next` of another source tree (e.g. `git archive` of an
earlier commit), side by side. Writes bench/RESULTS-independent.md.
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
        "release-toolkit.toml": '[version]\nmode = "independent"\n',
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
    subprocess.run(["git", "pack-refs", "--all"], cwd=dest, check=True)


def timed(argv: list[str], cwd: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0,):
        raise SystemExit(f"{argv[:3]} failed: {done.stderr[-500:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, done.stdout


def release_next(repo: Path, rounds: int, source: Path | None = None) -> tuple[float, float, str]:
    """Median wall and CPU of `release next` (from `source`'s tree when given)."""
    argv = [str(RELEASE), "next"]
    if source is not None:
        code = f"import sys; sys.path.insert(0, {str(source)!r}); sys.argv[0] = 'release'; "
        code += "from release.cli.entry import main; main()"
        argv = [sys.executable, "-c", code, "next"]
    walls, cpus = [], []
    out = ""
    for _ in range(rounds):
        wall, cpu, out = timed(argv, repo)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus), out


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
    parser.add_argument("--before", type=Path, help="an earlier source tree to time alongside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-independent-") as scratch:
        repo = Path(scratch) / "workspace"
        generate(repo, args.packages, args.commits)
        wall, cpu, out = release_next(repo, args.rounds)
        released = len(out.splitlines())
        rows = [("`release next`", wall, cpu, released)]
        if args.before:
            bw, bc, bout = release_next(repo, args.rounds, args.before)
            if bout != out:
                raise SystemExit("the earlier tree answers differently")
            rows.insert(0, (f"`release next` before ({args.before.name})", bw, bc, released))
        cw, cc, _ = per_package_cliff(repo, args.cliff_packages)
        scale = args.packages / args.cliff_packages
        cliff_wall, cliff_cpu = cw * scale, cc * scale
        lines = [
            "# Independent versions: `release next` against git-cliff once per package",
            "",
            f"{args.packages} crates, {args.commits:,} commits, package tags "
            "`{name}-v{version}`, refs packed (bench/bench_independent.py). "
            f"`release next`: median of {args.rounds} runs. git-cliff "
            f"(`--bumped-version --include-path crates/NAME/** --tag-pattern ^NAME-v`): run for "
            f"{args.cliff_packages} packages and scaled to {args.packages}. CPU: user + system "
            "time of the process and its children (git).",
            "",
            "| tool | wall s | CPU s | packages to release | git-cliff loop × (wall) "
            "| git-cliff loop × (CPU) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, w, c, n in rows:
            ratios = f"{cliff_wall / w:,.0f} | {cliff_cpu / c:,.0f}"
            lines.append(f"| {name} | {w:.2f} | {c:.2f} | {n} | {ratios} |")
        lines.append(
            f"| git-cliff per package (scaled) | {cliff_wall:,.1f} | {cliff_cpu:,.1f} | — | 1 | 1 |"
        )
        text = "\n".join(lines) + "\n"
        (HERE / "RESULTS-independent.md").write_text(text)
        print(text)


if __name__ == "__main__":
    main()

"""`release next` against the peers, side by side on the same generated repositories.

For each repository: one warm-up run of every tool, then N rounds; each round runs every tool
once, in an order rotated round by round, so that no tool always runs first on a warm cache.
Reports medians, minimums and peak RSS (from wait4), whether each printed the expected
version, and ratios against `release next`. Writes bench/RESULTS-next.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = HERE / ".venv-peers" / "bin"
OWN_CLIFF = ROOT / ".venv" / "bin" / "git-cliff"  # the one installed with release-toolkit
sys.path.insert(0, str(HERE))
import shapes as shapes_module  # noqa: E402
from gen_repo import generate  # noqa: E402


@dataclass
class Tool:
    name: str
    argv: list[str]
    parse: str  # a regex whose group 1 is the version printed
    answers: bool = True  # prints the next version (verify prints its verdict instead)

    def version_in(self, text: str) -> str | None:
        match = re.search(self.parse, text)
        return match.group(1) if match else None


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    printed: str | None = None


def tools(release_bin: Path) -> list[Tool]:
    return [
        Tool("release next", [str(release_bin), "next"], r"^(\S+)\s*$"),
        Tool(
            "release verify (plan, changelog, bump, commit-tag)",
            [str(release_bin), "verify", *VERIFY_ONLY],
            r"(Ready to cut)",
            answers=False,
        ),
        Tool(
            "git-cliff --bumped-version --unreleased",
            [str(PEERS / "git-cliff"), "--bumped-version", "--unreleased"],
            r"v?(\d+\.\d+\.\d+\S*)",
        ),
        Tool(
            "cz bump --dry-run",
            [str(PEERS / "cz"), "bump", "--dry-run", "--yes"],
            r"tag to create: v?(\S+)",
        ),
        Tool(
            "semantic-release --noop version --print",
            [str(PEERS / "semantic-release"), "--noop", "version", "--print"],
            r"(?m)^(\d+\.\d+\.\d+\S*)\s*$",
        ),
    ]


VERIFY_ONLY = ["--only", "changelog", "--only", "bump", "--only", "commit-tag"]
TIME = Path("/usr/bin/time")  # GNU time: a small parent, so the child's peak RSS is its own


def run_once(tool: Tool, repo: Path) -> tuple[float, int, str]:
    """Wall time, the tool's peak RSS in KiB (0 without GNU time) and what it printed.

    Peak RSS comes from GNU time rather than wait4 on our own child: a child forked from this
    (large) benchmark process would report our memory as its own."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        argv = tool.argv
        if TIME.exists():
            argv = [str(TIME), "-f", "%M", "-o", rss_file.name, *argv]
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=repo, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        text = rss_file.read().strip().splitlines()
    rss = int(text[-1]) if text and text[-1].isdigit() else 0
    return elapsed, rss, proc.stdout + proc.stderr


def measure(repo: Path, all_tools: list[Tool], runs: int) -> dict[str, Sample]:
    samples = {t.name: Sample() for t in all_tools}
    for tool in all_tools:  # warm-up, and the version each prints
        _, _, out = run_once(tool, repo)
        samples[tool.name].printed = tool.version_in(out)
    for round_no in range(runs):
        shift = round_no % len(all_tools)
        for tool in all_tools[shift:] + all_tools[:shift]:
            seconds, rss, _ = run_once(tool, repo)
            samples[tool.name].seconds.append(seconds)
            samples[tool.name].rss_kib.append(rss)
    return samples


def versions() -> dict[str, str]:
    def out(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "missing"

    return {
        "python": platform.python_version(),
        "git": out(["git", "--version"]),
        "git-cliff (release-toolkit's)": out([str(OWN_CLIFF), "--version"]),
        "git-cliff (latest, the peer)": out([str(PEERS / "git-cliff"), "--version"]),
        "commitizen": out([str(PEERS / "cz"), "version"]),
        "python-semantic-release": out([str(PEERS / "semantic-release"), "--version"]),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tool_answers(name: str) -> bool:
    return not name.startswith("release verify")


def report(results: list[tuple[str, str | None, dict[str, Sample]]], runs: int) -> str:
    lines = [
        "# `release next` against the peers",
        "",
        f"Machine: {os.cpu_count()} cores, {cpu_model()}. Runs per tool: {runs} after one "
        "warm-up, tools alternated round by round. Times are wall seconds of the whole "
        "command, as a user would wait for it.",
        "",
        "Versions: " + "; ".join(f"{k} {v}" for k, v in versions().items()),
        "",
        "Generated by `scripts/bench` (bench/gen_repo.py, bench/bench_next.py).",
        "",
    ]
    for label, expected, samples in results:
        ours = statistics.median(samples["release next"].seconds)
        lines += [
            f"## {label}",
            "",
            f"Expected next version: {expected or 'unknown (a real repository)'}",
            "",
            "| tool | median s | min s | peak RSS MiB | printed | correct | × release next |",
            "| --- | ---: | ---: | ---: | --- | --- | ---: |",
        ]
        for name, sample in samples.items():
            median = statistics.median(sample.seconds)
            correct = "?" if expected is None else ("yes" if sample.printed == expected else "NO")
            if not tool_answers(name):
                correct = "-"
            lines.append(
                f"| `{name}` | {median:.3f} | {min(sample.seconds):.3f} | "
                f"{max(sample.rss_kib) / 1024:.0f} | {sample.printed} | {correct} | "
                f"{median / ours:.1f} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--tags", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="one 1,000-commit repo, one run")
    parser.add_argument(
        "--side-rc",
        default="3,40",
        help="shapes: prerelease tags on an unmerged side branch, higher than the main line",
    )
    shapes_module.add_arguments(parser, HERE / "RESULTS-next.md")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    tags = 20 if args.quick else args.tags
    all_tools = tools(args.release_bin)
    results: list[tuple[str, str | None, dict[str, Sample]]] = []
    shapes = [3] if args.quick else [int(n) for n in args.side_rc.split(",")]
    if args.quick:
        sizes = []  # the quick run measures the long unreleased span only, small
        spec = "1000,20,300,100"
    else:
        spec = args.real_shape
    with tempfile.TemporaryDirectory(prefix="release-bench-") as tmp:
        if spec:
            label, repo, expected = shapes_module.real_shape(Path(tmp), spec)
            results.append((label, expected, measure(repo, all_tools, runs)))
            print(f"measured {label}", file=sys.stderr)
        for side_rc in shapes:  # 40: every one of them is above the last release
            for size in sizes:
                repo = Path(tmp) / f"repo-{size}-{side_rc}"
                expected = generate(repo, size, tags, seed=1, side_rc=side_rc, foreign=4)
                label = (
                    f"{size:,} commits, {tags} release tags, {side_rc} unmerged rc tags, "
                    "4 foreign tags"
                )
                results.append((label, expected, measure(repo, all_tools, runs)))
                print(f"measured {label}", file=sys.stderr)
        for real in args.repo:
            results.append((f"real repository {real.name}", None, measure(real, all_tools, runs)))
            print(f"measured {real}", file=sys.stderr)
    text = report(results, runs)
    args.output.write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

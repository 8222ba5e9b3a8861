"""The full changelog and `release verify` against the peers, on the same generated repos.

For each repository: `release changelog` cold (its range cache cleared before every run)
and warm, `git-cliff -o -` over the whole history with the same config (the single run we
split), with the git-cliff release-toolkit installs (the current line, which diffs every
commit for `commit.statistics`), `cz changelog --dry-run` and `semantic-release
--noop changelog`; then `release verify` (the plan, the changelog section, every manifest;
no building or publishing).
Same method as bench_next.py: a warm-up, N rounds with the order rotated, medians, minimums,
peak RSS from GNU time. Writes bench/RESULTS-changelog.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import shapes  # noqa: E402
from bench_next import PEERS, Sample, Tool, cpu_model, measure, versions  # noqa: E402
from gen_repo import generate  # noqa: E402

CONFIG = ROOT / "release" / "data" / "cliff.toml"
PATTERN = r"^v[0-9]+\.[0-9]+\.[0-9]+.*$"


def tools(release_bin: Path) -> list[Tool]:
    cold = f"rm -rf .git/release-toolkit/changelog-cache && exec {release_bin} changelog"
    return [
        Tool("release changelog (cold)", ["sh", "-c", cold], r"(# Changelog)"),
        Tool("release changelog (warm)", [str(release_bin), "changelog"], r"(# Changelog)"),
        Tool(
            "git-cliff -o - (one run)",
            [
                str(release_bin.parent / "git-cliff"),
                *("--config", str(CONFIG), "--tag-pattern", PATTERN, "-o", "-"),
            ],
            r"(# Changelog)",
        ),
        Tool("cz changelog --dry-run", [str(PEERS / "cz"), "changelog", "--dry-run"], r"(## v?\d)"),
        Tool(
            "semantic-release --noop changelog",
            [str(PEERS / "semantic-release"), "--noop", "changelog"],
            r"(changelog)",
        ),
    ]


def verify_tools(release_bin: Path) -> list[Tool]:
    only = ["--only", "changelog", "--only", "bump", "--only", "commit-tag"]
    return [Tool("release verify", [str(release_bin), "verify", *only], r"(Ready to cut)")]


def table(samples: dict[str, Sample], base: str) -> list[str]:
    ours = statistics.median(samples[base].seconds)
    lines = [
        "| tool | median s | min s | peak RSS MiB | ran | × " + base + " |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, sample in samples.items():
        median = statistics.median(sample.seconds)
        lines.append(
            f"| `{name}` | {median:.3f} | {min(sample.seconds):.3f} | "
            f"{max(sample.rss_kib) / 1024:.0f} | {'yes' if sample.printed else 'NO'} | "
            f"{median / ours:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--tags", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    shapes.add_arguments(parser, HERE / "RESULTS-changelog.md")
    args = parser.parse_args()
    sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    tags = 40 if args.quick else args.tags
    lines = [
        "# The full changelog and `release verify` against the peers",
        "",
        f"Machine: {__import__('os').cpu_count()} cores, {cpu_model()}. Runs per tool: {runs} "
        "after one warm-up, tools alternated round by round; wall seconds of the whole command.",
        "",
        "Versions: " + "; ".join(f"{k} {v}" for k, v in versions().items()),
        "",
        "`release changelog (cold)` clears its cache (`.git/release-toolkit/changelog-cache`: "
        "the parse of released history, or the released ranges) before every run; `(warm)` "
        "keeps it, as a second regeneration in the same repository would. All of "
        "release-toolkit's output is byte for byte git-cliff's single run "
        "(tests/tools/test_cliff_context.py, tests/tools/test_cliff_history.py, "
        "tests/tools/test_cliff_history_walk.py). Both use the same git-cliff: one run pays a "
        "walk of the history for every release tag; release-toolkit asks git-cliff for one "
        "tag-less parse and renders the releases it builds from it (`--from-context`), or "
        "falls back to ranges between release tags (docs/performance.md).",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="release-bench-") as tmp:
        repos = []
        for size in sizes:
            repo = Path(tmp) / f"repo-{size}"
            generate(repo, size, tags, seed=1, side_rc=3, foreign=4)
            repos.append((f"{size:,} commits, {tags} release tags", repo))
        if args.real_shape and not args.quick:
            label, repo, _ = shapes.real_shape(Path(tmp), args.real_shape)
            repos.append((label, repo))
        repos += [(f"real repository {real.name}", real) for real in args.repo]
        for label, repo in repos:
            samples = measure(repo, tools(args.release_bin), runs)
            verify = measure(repo, verify_tools(args.release_bin), runs)
            lines += [f"## {label}", "", *table(samples, "release changelog (cold)"), ""]
            v = verify["release verify"]
            lines += [
                f"`release verify` (plan, changelog section, manifests): median "
                f"{statistics.median(v.seconds):.3f} s, min {min(v.seconds):.3f} s, peak RSS "
                f"{max(v.rss_kib) / 1024:.0f} MiB.",
                "",
            ]
            print(f"measured {label}", file=sys.stderr)
    text = "\n".join(lines) + "\n"
    args.output.write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

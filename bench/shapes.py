"""The options and the generated history every benchmark against the peers shares: real
repositories to measure too, and the shape of a real one (nuxt/nuxt: 15,000 commits, 336
release tags, 1,000 commits since the last one, a merged-in repository with its own tags)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_repo import generate  # noqa: E402

NUXT = "15000,336,1000,500"


def add_arguments(parser: argparse.ArgumentParser, output: Path) -> None:
    """--repo, --real-shape, --release-bin and --output."""
    parser.add_argument(
        "--repo", type=Path, action="append", default=[], help="also measure this real repository"
    )
    parser.add_argument(
        "--real-shape",
        default=NUXT,
        help="commits, release tags, commits since the last tag, commits of a merged-in "
        "repository: the shape of nuxt/nuxt (empty: none)",
    )
    parser.add_argument("--release-bin", type=Path, default=HERE.parent / ".venv/bin/release")
    parser.add_argument("--output", type=Path, default=output)


def real_shape(folder: Path, spec: str) -> tuple[str, Path, str | None]:
    """The history of shape `spec` (see --real-shape) in `folder`/repo-real-shape: its label,
    its path, and the next version it should get."""
    size, many, tail, merged = (int(n) for n in spec.split(","))
    repo = folder / "repo-real-shape"
    expected = generate(repo, size, many, seed=1, side_rc=3, foreign=4, tail=tail, merged=merged)
    label = (
        f"{size:,} commits, {many} release tags, {tail:,} commits since the last tag, "
        f"a merged-in repository of {merged} commits with its own tags, 3 unmerged rc tags, "
        "4 foreign tags"
    )
    return label, repo, expected

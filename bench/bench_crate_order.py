"""Planning at scale: the publish order of a generated Cargo workspace of 200 crates whose
dependencies form a random DAG (seeded). Times `cargo metadata` on the real workspace and
release-toolkit's order and levels (release/steps/crates/order.py) from its output, and checks the
order. Writes bench/RESULTS-crates.md."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from release.steps.crates.order import levels, publishable  # noqa: E402


def workspace(dest: Path, crates: int, seed: int) -> dict[str, set[str]]:
    """Crates c000..cNNN; each depends on up to 4 earlier ones (so no cycle)."""
    rnd = random.Random(seed)
    deps: dict[str, set[str]] = {}
    members = []
    for i in range(crates):
        name = f"c{i:03d}"
        earlier = [f"c{j:03d}" for j in range(i)]
        deps[name] = set(rnd.sample(earlier, min(len(earlier), rnd.randint(0, 4))))
        folder = dest / "crates" / name
        (folder / "src").mkdir(parents=True)
        lines = [f'[package]\nname = "{name}"\nversion = "1.0.0"\nedition = "2021"\n']
        lines.append('license = "MIT"\ndescription = "bench"\n\n[dependencies]\n')
        lines += [f'{d} = {{ path = "../{d}", version = "1.0.0" }}\n' for d in sorted(deps[name])]
        (folder / "Cargo.toml").write_text("".join(lines))
        (folder / "src" / "lib.rs").write_text("")
        members.append(f'"crates/{name}"')
    (dest / "Cargo.toml").write_text(
        f'[workspace]\nresolver = "2"\nmembers = [{", ".join(members)}]\n'
    )
    return deps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--crates", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS-crates.md")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{Path.home() / '.cargo' / 'bin'}:{os.environ['PATH']}"}
    with tempfile.TemporaryDirectory(prefix="release-bench-crates-") as tmp:
        dest = Path(tmp)
        deps = workspace(dest, args.crates, seed=1)
        meta_times = []
        for _ in range(3):
            start = time.perf_counter()
            out = subprocess.run(
                ["cargo", "metadata", "--offline", "--no-deps", "--format-version", "1"],
                cwd=dest,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            meta_times.append(time.perf_counter() - start)
        meta = json.loads(out)
        order_times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            found = levels(publishable(meta))
            order_times.append(time.perf_counter() - start)
    order = [name for level in found for name in level]
    position = {name: i for i, name in enumerate(order)}
    assert sorted(order) == sorted(deps)
    assert all(position[d] < position[n] for n, ds in deps.items() for d in ds)
    widest = max(len(level) for level in found)
    meta_s, order_s = statistics.median(meta_times), statistics.median(order_times)
    meta_row = f"| {meta_s:.3f} | {min(meta_times):.3f} |"
    order_row = f"| {order_s:.4f} | {min(order_times):.4f} |"
    text = f"""# Publish order of a {args.crates}-crate workspace

A generated workspace of {args.crates} crates, each depending on up to 4 earlier ones (a
random DAG, seed 1, {sum(len(d) for d in deps.values())} edges). Checked: every crate comes
after all its dependencies.

| what | median s | min s |
| --- | ---: | ---: |
| `cargo metadata --no-deps` on the workspace ({len(meta_times)} runs) {meta_row}
| order and levels from that metadata (release/steps/crates/order.py, {args.runs} runs) {order_row}

{len(found)} levels (crates of one level may publish concurrently); the widest has {widest}
crates. Target: under 1 s for the whole plan — met by {1 / (meta_s + order_s):.1f}×.
"""
    args.output.write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

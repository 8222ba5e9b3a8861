"""Generated histories with maintenance lines, for comparing the split changelog with one
git-cliff run: each minor line is released on main, patched on its own branch while main
tags the next line's prereleases (interleaved in time), and sometimes merged back."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from gen_repo import Stream, message  # noqa: E402


def maintained(dest: Path, seed: int, lines: int = 7) -> list[str]:
    """Write the history into `dest`; returns its tags in the order they were made."""
    rnd = random.Random(seed)
    stream = Stream()
    n = 0

    def commit(ref: str, parents: list[int], kind: str | None = None) -> int:
        nonlocal n
        n += 1
        files = {f"f{n % 9}.txt": f"{n}\n"}
        return stream.blob_commit(ref, message(rnd, n, kind=kind), parents, files)

    tags: list[str] = []

    def tag(name: str, mark: int) -> None:
        stream.tag(name, mark)
        tags.append(name)

    main = stream.blob_commit("refs/heads/main", "chore: start", [], {"f.txt": "0\n"})
    for minor in range(lines):
        for _ in range(rnd.randint(1, 4)):
            main = commit("refs/heads/main", [main])
        tag(f"v3.{minor}.0", main)
        branch, maint = f"refs/heads/v3.{minor}.x", main
        patch = alpha = 0
        for _ in range(rnd.randint(3, 9)):  # the older line's patches beside the prereleases
            if rnd.random() < 0.5:
                maint = commit(branch, [maint], kind="fix")
                if rnd.random() < 0.7:
                    patch += 1
                    tag(f"v3.{minor}.{patch}", maint)
            else:
                main = commit("refs/heads/main", [main])
                if rnd.random() < 0.5 and minor + 1 < lines:
                    alpha += 1
                    tag(f"v3.{minor + 1}.0-alpha.{alpha}", main)
            if rnd.random() < 0.1:
                tag(f"nightly-{n}", main)  # a tag of no release format
        if rnd.random() < 0.6 and maint != main:  # the maintenance line merged back
            main = stream.blob_commit(
                "refs/heads/main", f"Merge branch 'v3.{minor}.x'", [main, maint], {}
            )
    for _ in range(rnd.randint(0, 3)):  # unreleased commits, or none
        main = commit("refs/heads/main", [main])
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=dest,
        input="".join(stream.parts).encode(),
        check=True,
    )
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True)
    return tags

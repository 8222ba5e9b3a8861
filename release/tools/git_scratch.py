"""A scratch worktree of the repository at one commit, in a temporary folder, removed after
use: what `release replay` and `release pr` prepare releases in. The user's work tree, index
and refs stay as they were (git keeps only the worktree's own bookkeeping under
.git/worktrees while it exists).

Files whose content the repository lacks (a partial or mirrored clone without its largest
blobs) are left out of the scratch tree (skip-worktree) instead of failing the checkout."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from release.tools.git import Git
from release.tools.run import run


@contextmanager
def scratch_worktree(git: Git, rev: str, *, prefix: str = "release-replay-") -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    tree = folder / "tree"
    try:
        git.out("worktree", "add", "--no-checkout", "--detach", "--quiet", str(tree), rev)
        scratch = Git(tree)
        scratch.out("read-tree", "HEAD")
        missing = _missing_blobs(scratch)
        for start in range(0, len(missing), 200):
            scratch.out("update-index", "--skip-worktree", "--", *missing[start : start + 200])
        scratch.out("checkout-index", "--all", "--force")
        yield tree
    finally:
        removed = run(
            ["git", "worktree", "remove", "--force", str(tree)], cwd=git.root, check=False
        )
        shutil.rmtree(folder, ignore_errors=True)
        if removed.returncode != 0:
            # Its folder is gone but git may still list it: only stale entries are pruned.
            run(["git", "worktree", "prune"], cwd=git.root, check=False)


def _missing_blobs(scratch: Git) -> list[str]:
    """The paths of HEAD's tree whose blobs are not in the object store."""
    listing = scratch.out("ls-tree", "-r", "--full-tree", "HEAD")
    blobs = []
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            blobs.append((parts[2], path))
    if not blobs:
        return []
    asked = "".join(f"{oid}\n" for oid, _ in blobs)
    answer = run(["git", "cat-file", "--batch-check"], cwd=scratch.root, input=asked).stdout
    return [
        path
        for (_, path), line in zip(blobs, answer.splitlines(), strict=False)
        if line.endswith(" missing")
    ]

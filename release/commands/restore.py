"""Putting back the files a killed cut changed before its commit: what `release resume` does
first, for a lockstep cut (commands/resume.py) and a train (commands/train_run.py) alike."""

from __future__ import annotations

from release.core.errors import RepositoryError
from release.tools.git import Git


def restore_files(git: Git, ours: set[str], dist: str) -> None:
    """Put back the files a cut killed before its commit changed (`ours`, relative to the
    root); any other change in the work tree is the user's, and stops the resume."""
    dirty = git.dirty_paths(outside=dist)
    others = sorted(set(dirty) - ours)
    if others:
        raise RepositoryError(
            "files the release does not touch changed since it was interrupted: "
            + ", ".join(others[:5]),
            hint="commit or stash them, then resume",
        )
    tracked = git.tracked_files()
    to_checkout = [p for p in dirty if p in tracked]
    if to_checkout:
        git.checkout_paths(to_checkout)
    for path in dirty:
        if path not in tracked:
            (git.root / path).unlink(missing_ok=True)  # e.g. a CHANGELOG.md the cut created

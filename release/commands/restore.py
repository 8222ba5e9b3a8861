"""Putting back the files a killed cut changed before its commit: what `release resume` does
first, for a lockstep cut (commands/resume.py) and a train (commands/train_run.py) alike;
and the refusal of a dirty work tree, which no resume may take a person's work with."""

from __future__ import annotations

from release.base.errors import RepositoryError
from release.core.engine import recovery
from release.core.engine.journal import Journal
from release.tools.git import Git


def refuse_dirty(git: Git, journal: Journal, dist: str, ours: set[str] | None = None) -> None:
    """A resume, like a cut, starts from a clean work tree: what it would commit, merge or
    restore must never take a person's uncommitted work with it. `ours`: files the
    interrupted cut wrote, which are not the user's while they are as the cut left them."""
    dirty = git.dirty_paths(outside=dist)
    written = recovery.written_files(journal.entries())
    # Before the commit, the files the journal says the cut wrote are its own too (a bump
    # rewrites dependency versions in manifests that are no version site).
    mine = (ours | set(written)) if ours is not None else set()

    def edited(path: str) -> bool:  # one of ours, changed again since the cut wrote it
        return path in written and recovery.digest(git.root / path) != written[path]

    users = [p for p in dirty if p not in mine or edited(p)]
    if users:
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        raise RepositoryError(
            f"the work tree has uncommitted changes: {shown}; resume leaves them alone",
            hint="commit them, or put them aside (git stash -u) and bring them back after "
            "the release (git stash pop); then `release resume`",
        )


def restore_files(git: Git, ours: set[str], journal: Journal, dist: str) -> None:
    """Put back the files a cut killed before its commit changed (`ours`, relative to the
    root); any other change in the work tree, or a change to one of ours since the cut
    wrote it, is the user's, and stops the resume."""
    refuse_dirty(git, journal, dist, ours)
    dirty = git.dirty_paths(outside=dist)
    tracked = git.tracked_files()
    to_checkout = [p for p in dirty if p in tracked]
    if to_checkout:
        git.checkout_paths(to_checkout)
    for path in dirty:
        if path not in tracked:
            (git.root / path).unlink(missing_ok=True)  # e.g. a CHANGELOG.md the cut created

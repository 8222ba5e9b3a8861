"""The release commit behind a tag that is not on it: polars tags `py-1.43.0` on a fix
committed after "Python Polars 1.43.0", pyo3 `v0.23.0` on "fixup docs for packaging". The
commit that made the release is the nearest one before the tag (first parents) that bumped a
version in place to the tagged one; the replay and init read that one. A tag on a commit that
bumped its version, or with no such commit close before it (a version taken from the tag
alone, setuptools-scm), stays where it is."""

from __future__ import annotations

from release.commands.replay_scratch import Found, carries_version, section_files
from release.tools.git import Git

LOOK_BACK = 10  # commits before the tagged one


def release_commit(git: Git, found: Found) -> Found:
    """`found`, moved to its release commit when the tag is after it."""
    versions = {str(version) for _, version in found.tags.values()}
    if _bumps(git, found.commit, versions):
        return found
    out = git.out("log", "--first-parent", f"-{LOOK_BACK}", "--format=%H %P", f"{found.commit}^")
    for line in out.splitlines():
        commit, _, parents = line.partition(" ")
        if parents and _bumps(git, commit, versions):
            return Found(commit, found.tags, found.prereleases)
    return found


def _bumps(git: Git, commit: str, versions: set[str]) -> bool:
    """Whether `commit` bumped a version in place to one of `versions`, or wrote a release
    section naming one (a release commit whose manifests were bumped before, for a
    prerelease of the same number)."""
    changed = git.out("diff", "--name-only", "--no-renames", f"{commit}^1", commit)
    paths = {p for p in changed.splitlines() if p}
    return bool(
        carries_version(git, commit, paths, versions) or section_files(git, commit, paths, versions)
    )

"""Files of a release commit that are the project's history, not a file release-toolkit would
miss today: one the project bumped by hand then and no longer versions (mdBook's CI guide
carried the release in a download URL until a `{{ mdbook-version }}` placeholder took its
place: today's config rightly names no manifest for it), and the files of other packages'
prereleases tagged with the release (tauri's `tauri-v2.0.0-rc.6` beside `tauri-driver-v0.1.5`),
which the replay, planning final versions, does not plan."""

from __future__ import annotations

import re

from release.commands.replay_scratch import _hunks, carries_version, section_files
from release.tools.git import Git


def retired(git: Git, commit: str, paths: set[str], versions: set[str]) -> set[str]:
    """The `paths` whose lines `commit` bumped to one of `versions` have no line of that shape
    (any version in its place) in the work tree today, or are gone."""
    if not paths or not versions:
        return set()
    diff = git.out("diff", "-U0", "--no-renames", f"{commit}^1", commit, "--", *sorted(paths))
    found = set()
    for path, _, added in _hunks(diff):
        shapes = [s for line in added if (s := _shape(line, versions)) is not None]
        try:
            today = (git.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            today = ""
        if shapes and not any(s.search(today) for s in shapes):
            found.add(path)
    return found


def _shape(line: str, versions: set[str]) -> re.Pattern[str] | None:
    """The line with every one of `versions` in it as any version; None when it names none."""
    text = line.strip()
    named = [v for v in sorted(versions, key=len, reverse=True) if v in text]
    if not text or not named:
        return None
    parts = re.split("|".join(re.escape(v) for v in named), text)
    return re.compile(r"v?[0-9][0-9A-Za-z.+-]*".join(re.escape(p) for p in parts))


def prereleased(git: Git, commit: str, paths: set[str], versions: set[str]) -> set[str]:
    """The `paths` in which `commit` bumped a version to one of the prerelease `versions`, or
    added a heading naming one (their changelogs)."""
    if not paths or not versions:
        return set()
    return carries_version(git, commit, paths, versions) | section_files(
        git, commit, paths, versions
    )

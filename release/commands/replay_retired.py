"""Files of a release commit that are the project's history, not a file release-toolkit would
miss today: one the project bumped by hand then and no longer versions (mdBook's CI guide
carried the release in a download URL until a `{{ mdbook-version }}` placeholder took its
place: today's config rightly names no manifest for it), and the files of other packages'
prereleases tagged with the release (tauri's `tauri-v2.0.0-rc.6` beside `tauri-driver-v0.1.5`),
which the replay, planning final versions, does not plan, or of a package released in the
commit without a tag of its own (release-plz's `release_plz_core` 0.36.10)."""

from __future__ import annotations

import json
import re

from release.base._toml import tomllib
from release.commands.replay_scratch import _hunks, _text, carries_version, section_files
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


def untagged_versions(git: Git, commit: str, paths: set[str], released: set[str]) -> set[str]:
    """The versions that `commit` gave manifests among `paths` as their own (`[package]
    version`, `[project] version`, `"version"`) and that no tag of the release names: packages
    released in it without a tag."""
    found = set()
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        if name not in ("Cargo.toml", "pyproject.toml", "package.json"):
            continue
        new = _own_version(_text(git, f"{commit}:{path}"), name)
        if (
            new
            and new not in released
            and new != _own_version(_text(git, f"{commit}^1:{path}"), name)
        ):
            found.add(new)
    return found


def _own_version(text: str, name: str) -> str | None:
    try:
        data = json.loads(text) if name == "package.json" else tomllib.loads(text)
    except ValueError:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        return None
    if not isinstance(data, dict):
        return None
    table = data if name == "package.json" else data.get("package") or data.get("project") or {}
    version = table.get("version") if isinstance(table, dict) else None
    return version if isinstance(version, str) else None

"""Lock files that state the project's own versions and follow its manifests: a release
bumps them with the manifests, as the package manager would, without running it.

- `uv.lock` (release.core.project.uv_lock): the pyproject.toml files it locks.
- An npm workspace's root `package-lock.json` (lerna, nx, npm workspaces): an entry per
  member, `"packages": {"packages/lerna": {"version": "10.0.1"}}`. A member's own
  package-lock.json beside it is PackageJson's.

Followers are never a source of the current version (`current()` is empty): a stale lock is
the package manager's to report."""

from __future__ import annotations

import json
from pathlib import Path

from release.base.fsutil import nearest, read_text
from release.base.versioning import Version
from release.core.project import uv_lock
from release.core.project.npm import PackageJson, string_spans
from release.core.project.sites import Manifest, VersionSite


class NpmWorkspaceLock:
    """The root package-lock.json's entries of the workspace members in `members` (folders
    relative to the lock's folder, as npm writes them)."""

    def __init__(self, path: Path, members: set[str]) -> None:
        self.path = path
        self.members = members

    def current(self) -> list[VersionSite]:
        return []

    def bumped(self, new: Version) -> dict[Path, str]:
        text = read_text(self.path)
        spans = string_spans(text)
        version = json.dumps(str(new.replace(build=None)))
        edits = sorted(
            (spans[key] for m in self.members if (key := ("packages", m, "version")) in spans),
            reverse=True,
        )
        after = text
        for start, end in edits:
            after = after[:start] + version + after[end:]
        return {self.path: after} if after != text else {}


def followers(root: Path, pyprojects: list[Path], manifests: list[Manifest]) -> list[Manifest]:
    """The lock files that follow the pyproject.toml files and the `manifests` of a release."""
    found: list[Manifest] = list(uv_lock.locks_of(root, pyprojects))
    packages = [m for m in manifests if isinstance(m, PackageJson)]
    owners = {m.lock: m for m in packages if m.lock is not None}
    for lock in npm_workspace_locks(root, [m.path for m in packages if m.lock is None]):
        if lock.path in owners:  # the root package's own lock: one edit of the file
            owners[lock.path].members |= lock.members
        else:
            found.append(lock)
    return found


def npm_workspace_locks(root: Path, package_jsons: list[Path]) -> list[NpmWorkspaceLock]:
    """For package.json files with no lock of their own: the nearest package-lock.json of a
    folder above them (up to `root`). Read only when bumped: a workspace's lock is large."""
    members: dict[Path, set[str]] = {}
    for path in package_jsons:
        lock = nearest(path.parent.parent, root, "package-lock.json")
        if lock is not None:
            members.setdefault(lock, set()).add(path.parent.relative_to(lock.parent).as_posix())
    return [NpmWorkspaceLock(lock, found) for lock, found in sorted(members.items())]

"""Nothing from outside the repository goes out: the one place that says whether a path a
release reads or writes stays inside a folder (the repository, a tap's clone, an artifacts
folder).

A path is resolved (every symlink followed, `..` applied) and must then lie under the
folder's own resolved path. A symlink whose target stays inside is read as its target's
content; one that leaves is refused. Written files are written only where they are: never
through a symlink, which would turn the link into a regular file (git mode 120000 → 100644)
or write its target.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from release.base.errors import BadInput

_HINT = (
    "name a file inside the repository, relative to its root (docs/security.md says what is "
    "refused and why)"
)


def escape(folder: Path, path: Path) -> str | None:
    """Why `path` leaves `folder` (absolute paths are taken as they are), or None."""
    home = folder.resolve()
    resolved = path.resolve()
    if resolved == home or resolved.is_relative_to(home):
        return None
    link = _first_link(folder, path)
    if link is not None:
        return f"is a symlink to {os.readlink(link)}, outside {_called(folder)}"
    return f"is outside {_called(folder)}"


def _called(folder: Path) -> str:
    return "the repository" if (folder / ".git").exists() else str(folder)


def named_escape(name: str, *, dots: bool = False) -> str | None:
    """Why a name written in a config or a manifest cannot name a file inside a folder on
    its face: absolute (POSIX or Windows), or with `..` when `dots` is False."""
    if not name.strip():
        return "is empty"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute():
        return "is an absolute path"
    if PureWindowsPath(name).drive:
        return "names a drive"
    if not dots and ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return 'goes up with ".."'
    return None


def inside(folder: Path, name: str | Path, *, what: str, base: Path | None = None) -> Path:
    """`base / name` (base: the folder), refused unless it stays inside `folder`."""
    shown = str(name)
    reason = named_escape(shown, dots=True)
    path = (base or folder) / name
    if reason is None:
        reason = escape(folder, path)
    if reason is not None:
        raise BadInput(f"{what} {shown} {reason}", hint=_HINT)
    return path


def writable(folder: Path, path: Path, *, what: str) -> Path:
    """`path` (inside `folder`) refused if it or a folder on its way is a symlink: a
    release writes a file only where it is."""
    reason = escape(folder, path)
    if reason is not None:
        raise BadInput(f"{what} {_relative(folder, path)} {reason}", hint=_HINT)
    link = _first_link(folder, path)
    if link is not None:
        target = os.readlink(link)
        raise BadInput(
            f"{what} {_relative(folder, path)} is a symlink"
            + (f" ({_relative(folder, link)} → {target})" if link != path else f" to {target}")
            + ": a release never writes through a symlink",
            hint="name the file it points to in the release config instead, or make it a "
            "regular file",
        )
    return path


def outside_links(folder: Path, files: list[Path]) -> list[tuple[Path, str]]:
    """The files among `files` that are symlinks (or sit under one) leaving `folder`, with
    where they point: what a build backend following them would pack."""
    found = []
    for path in files:
        if path.is_symlink() or _first_link(folder, path) is not None:
            reason = escape(folder, path)
            if reason is not None:
                link = _first_link(folder, path) or path
                found.append((path, os.readlink(link)))
    return found


def _first_link(folder: Path, path: Path) -> Path | None:
    """The first symlink on the way from `folder` down to `path`."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return None
    current = folder
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def _relative(folder: Path, path: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)

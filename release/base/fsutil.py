"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def atomic_write(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Never through a symlink: replacing it would make the link a regular file (git mode
    120000 to 100644), and writing its target could write outside the repository."""
    if path.is_symlink():
        from release.base.errors import BadInput

        raise BadInput(
            f"{path} is a symlink (to {os.readlink(path)}): nothing was written through it",
            hint="name the file it points to instead, or make it a regular file",
        )
    import tempfile  # here: `release next` reads files and never writes one

    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_text(path: Path) -> str:
    """The file's text with its line endings as they are (no universal-newline translation),
    so that rewriting a CRLF file changes only what we meant to change."""
    return path.read_bytes().decode("utf-8")


def nearest(folder: Path, root: Path, name: str) -> Path | None:
    """The file `name` in `folder` or the nearest folder above it, never above `root` (a
    lock file of the repository, not of whatever holds it)."""
    while folder == root or root in folder.parents:
        found = folder / name
        if found.is_file():
            return found
        folder = folder.parent
    return None

"""What a built archive holds, checked before anything uploads it: an sdist, a wheel, a
`.crate` or a binary archive made by a build backend or another program must not name a
file outside itself (an absolute or `..` member), nor carry a link (a symlink or a hard link
that an unpacker would follow out of the folder it unpacks into), nor hold a file that a link
in its source tree reaches outside the repository (`refuse_followed`)."""

from __future__ import annotations

import hashlib
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from release.base import containment
from release.base.errors import BadInput

_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".crate", ".tar")


def is_archive(path: Path) -> bool:
    return path.name.endswith(_ARCHIVES)


def _bad_name(name: str) -> str | None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or (name[1:2] == ":"):
        return f"{name} is an absolute path"
    if ".." in pure.parts:
        return f'{name} goes up with ".."'
    return None


def _link_escapes(name: str, target: str) -> bool:
    """Whether a link at `name` to `target` leads out of the archive's own folder."""
    if target.startswith("/") or target[1:2] == ":":
        return True
    depth = 0
    for part in [*PurePosixPath(name).parent.parts, *PurePosixPath(target).parts]:
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


def unsafe_members(path: Path) -> list[str]:
    """What is wrong with `path`'s members, one line each (none: it is safe to upload)."""
    found: list[str] = []
    if path.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if (bad := _bad_name(info.filename)) is not None:
                    found.append(bad)
                if stat.S_ISLNK(info.external_attr >> 16):
                    target = archive.read(info).decode("utf-8", "replace")
                    found.append(f"{info.filename} is a symlink (to {target})")
        return found
    with tarfile.open(path, "r:*") as archive:
        for member in archive.getmembers():
            if (bad := _bad_name(member.name)) is not None:
                found.append(bad)
            if member.issym() and _link_escapes(member.name, member.linkname):
                found.append(f"{member.name} is a symlink to {member.linkname}, out of it")
            elif member.islnk() and (_bad_name(member.linkname) is not None):
                found.append(f"{member.name} is a hard link to {member.linkname}, out of it")
            elif not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
                found.append(f"{member.name} is neither a file nor a folder")
    return found


def refuse_unsafe(path: Path, *, shown: str | None = None) -> None:
    """Raise before `path` goes anywhere when a member is unsafe (see unsafe_members)."""
    try:
        found = unsafe_members(path)
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        raise BadInput(
            f"{shown or path.name} is not a readable archive: {exc}",
            hint="rebuild it (`release build`)",
        ) from None
    if found:
        raise BadInput(
            f"{shown or path.name} holds what must not be published: " + "; ".join(found[:5]),
            hint="nothing was uploaded; a symlink in the source tree is what build backends "
            "pack like this: replace it with the file, then build again",
        )


# What a backend packed by following a link out of the repository. The source tree's links
# that git sees are refused before any build (core/settings/config_paths.py), but a backend has file
# lists of its own (MANIFEST.in, `include` globs, cargo's) that can take a link git ignores.
# Backends copy what a link points to, so the check is by content: no member of what was
# built may hold the bytes of a file that a link in its source tree reaches outside.

_SKIPPED = frozenset({".git", ".hg", ".svn"})
_LIMIT = 2_000  # files hashed under one linked-out folder: a link to / must not hang a build


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files_under(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    if not target.is_dir():
        return []
    found: list[Path] = []
    for path in target.rglob("*"):
        if len(found) >= _LIMIT:
            break
        if path.is_file():
            found.append(path)
    return found


def outside_content(
    source: Path, repo: Path, *, skip: frozenset[str] = frozenset()
) -> dict[str, str]:
    """sha256 -> the link, for every non-empty file a symlink under `source` reaches outside
    `repo` (ignored by git or not). The walk follows no link; folders named in `skip` (and
    version control's own) are not entered."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in _SKIPPED and d not in skip]
        here = Path(folder)
        for name in (*dirs, *files):  # a linked folder is listed in dirs, and not entered
            path = here / name
            if not path.is_symlink() or containment.escape(repo, path) is None:
                continue
            shown = f"{path.relative_to(repo)} -> {os.readlink(path)}"
            for file in _files_under(path.resolve()):
                try:
                    data = file.read_bytes()
                except OSError:
                    continue
                if data:
                    found.setdefault(_digest(data), shown)
    return found


def _member_digests(path: Path) -> Iterator[tuple[str, str]]:
    if path.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, _digest(archive.read(info))
        return
    with tarfile.open(path, "r:*") as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                yield member.name, _digest(handle.read())


def refuse_followed(path: Path, outside: dict[str, str], *, shown: str | None = None) -> None:
    """Raise when a member of `path` holds a file from outside the repository."""
    if not outside:
        return
    found = [
        f"{name} is the content of {outside[digest]}, outside the repository"
        for name, digest in _member_digests(path)
        if digest in outside
    ]
    if found:
        raise BadInput(
            f"{shown or path.name} holds what must not be published: " + "; ".join(found[:5]),
            hint="nothing was uploaded; the build followed a symlink out of the repository: "
            "replace the link with the file, or remove it, then build again",
        )

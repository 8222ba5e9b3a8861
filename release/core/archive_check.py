"""What a built archive holds, checked before anything uploads it: an sdist, a wheel, a
`.crate` or a binary archive made by a build backend or another program must not name a
file outside itself (an absolute or `..` member), nor carry a link (a symlink or a hard link
that an unpacker would follow out of the folder it unpacks into)."""

from __future__ import annotations

import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

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

"""Reproducible archives: the same inputs give the same bytes, on any machine, at any time.

Entries are sorted, owned by 0:0 with no user names, dated at the release commit, with
normalized modes; gzip carries no timestamp or file name. Everything sits under one top-level
folder, NAME-vX.Y.Z-TARGET/, as users expect when they unpack a release.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

from release.base.fsutil import atomic_write_bytes

Entry = tuple[str, Path]  # (name inside the archive, file on disk)


def _mode(path: Path) -> int:
    return 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644


def tar_gz(files: list[Entry], top: str, mtime: int) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        folder = tarfile.TarInfo(top + "/")
        folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, mtime
        tar.addfile(folder)
        for name, path in sorted(files):
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = path.stat().st_size
            info.mode, info.mtime = _mode(path), mtime
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with path.open("rb") as handle:
                tar.addfile(info, handle)
    out = io.BytesIO()
    # filename="" and mtime=0: the gzip header then carries neither.
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def zip_bytes(files: list[Entry], top: str, mtime: int) -> bytes:
    import time

    stamp = time.gmtime(max(mtime, 315532800))[:6]  # zip cannot date before 1980
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files):
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=stamp)
            info.external_attr = (0o100000 | _mode(path)) << 16
            info.create_system = 3  # unix, whatever the machine
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return out.getvalue()


def write(dest: Path, files: list[Entry], top: str, mtime: int) -> Path:
    """Write a .tar.gz or .zip (by `dest`'s name) atomically."""
    data = zip_bytes(files, top, mtime) if dest.suffix == ".zip" else tar_gz(files, top, mtime)
    atomic_write_bytes(dest, data)
    return dest

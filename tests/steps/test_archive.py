"""Reproducible archives: same inputs, same bytes; sorted, owned by 0:0, dated, no gzip stamp."""

from __future__ import annotations

import gzip
import os
import tarfile
import time
import zipfile
from pathlib import Path

from release.steps.artifacts import archive

MTIME = 1_767_225_600  # 2026-01-01


def inputs(tmp_path: Path) -> list[archive.Entry]:
    exe = tmp_path / "app"
    exe.write_bytes(b"\x7fELF binary")
    exe.chmod(0o751)
    readme = tmp_path / "README.md"
    readme.write_text("# app\n")
    readme.chmod(0o600)
    return [("README.md", readme), ("app", exe)]


def test_tar_gz_is_byte_identical_and_normalized(tmp_path: Path) -> None:
    files = inputs(tmp_path)
    first = archive.write(tmp_path / "one.tar.gz", files, "app-v1.0.0-x", MTIME).read_bytes()
    os.utime(files[0][1], (time.time(), time.time()))  # touching a file changes nothing
    second = archive.write(tmp_path / "two.tar.gz", list(reversed(files)), "app-v1.0.0-x", MTIME)
    assert first == second.read_bytes()
    assert first[4:8] == b"\0\0\0\0"  # gzip MTIME field
    assert not first[3] & 0x08  # no FNAME flag: no file name in the header
    with tarfile.open(second) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == [
        "app-v1.0.0-x",
        "app-v1.0.0-x/README.md",
        "app-v1.0.0-x/app",
    ]
    for member in members:
        assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
        assert member.mtime == MTIME
    assert [m.mode for m in members] == [0o755, 0o644, 0o755]
    assert gzip.decompress(first)  # a valid gzip stream


def test_zip_is_byte_identical(tmp_path: Path) -> None:
    files = inputs(tmp_path)
    first = archive.write(tmp_path / "a.zip", files, "app-v1.0.0-w", MTIME).read_bytes()
    second = archive.write(tmp_path / "b.zip", files[::-1], "app-v1.0.0-w", MTIME).read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        assert z.namelist() == ["app-v1.0.0-w/README.md", "app-v1.0.0-w/app"]
        assert (z.getinfo("app-v1.0.0-w/app").external_attr >> 16) & 0o777 == 0o755


def test_a_symlink_inside_the_repository_is_packed_as_its_targets_content(
    tmp_path: Path,
) -> None:
    """LICENSE -> docs/LICENSE: the archive holds a regular file with the licence's text
    (a link in an archive would point at nothing once unpacked elsewhere)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "LICENSE").write_text("MIT License\n")
    (tmp_path / "LICENSE").symlink_to("docs/LICENSE")
    files = [*inputs(tmp_path), ("LICENSE", tmp_path / "LICENSE")]
    path = archive.write(tmp_path / "app.tar.gz", files, "app-v1.0.0-x", MTIME)
    with tarfile.open(path) as tar:
        member = tar.getmember("app-v1.0.0-x/LICENSE")
        assert member.isfile() and not member.issym()
        handle = tar.extractfile(member)
        assert handle is not None and handle.read() == b"MIT License\n"
    zipped = archive.write(tmp_path / "app.zip", files, "app-v1.0.0-x", MTIME)
    with zipfile.ZipFile(zipped) as bundle:
        assert bundle.read("app-v1.0.0-x/LICENSE") == b"MIT License\n"

"""What a backend packed by following a link out of the repository is refused by content:
the link may be one git ignores (a backend's MANIFEST.in or include globs still take it)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from release.base.errors import BadInput
from release.core.engine.archive_check import outside_content, refuse_followed

SECRET = b"ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n"


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "token.txt").write_bytes(SECRET)
    (outside / "keys").mkdir()
    (outside / "keys" / "id_ed25519").write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "__init__.py").write_text("x = 1\n")
    (repo / "LICENSE").write_text("MIT\n")
    (repo / "notes.txt").symlink_to(outside / "token.txt")  # a file out
    (repo / "pkg" / "keys").symlink_to("../../outside/keys")  # a folder out, relative
    (repo / "docs").symlink_to("pkg")  # inside: not a concern
    (repo / ".git").mkdir()
    (repo / ".git" / "evil").symlink_to(outside / "token.txt")  # git's own folder: skipped
    return repo, outside


def _sdist(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return path


def test_every_file_a_link_reaches_outside_is_known_by_its_content(tmp_path: Path) -> None:
    repo, _ = _tree(tmp_path)
    found = outside_content(repo, repo)
    assert sorted(found.values()) == [
        f"notes.txt -> {tmp_path / 'outside' / 'token.txt'}",
        "pkg/keys -> ../../outside/keys",
    ]


def test_an_sdist_holding_a_followed_file_is_refused(tmp_path: Path) -> None:
    repo, _ = _tree(tmp_path)
    sdist = _sdist(
        tmp_path / "demo-1.0.tar.gz",
        {"demo-1.0/pkg/__init__.py": b"x = 1\n", "demo-1.0/notes.txt": SECRET},
    )
    with pytest.raises(BadInput, match=r"demo-1\.0/notes\.txt is the content of notes\.txt ->"):
        refuse_followed(sdist, outside_content(repo, repo))


def test_a_wheel_holding_a_file_of_a_linked_folder_is_refused(tmp_path: Path) -> None:
    repo, _ = _tree(tmp_path)
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pkg/__init__.py", b"x = 1\n")
        archive.writestr("pkg/keys/id_ed25519", b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    with pytest.raises(BadInput, match=r"pkg/keys/id_ed25519 is the content of pkg/keys ->"):
        refuse_followed(wheel, outside_content(repo, repo))


def test_what_the_repository_holds_itself_passes(tmp_path: Path) -> None:
    repo, _ = _tree(tmp_path)
    sdist = _sdist(
        tmp_path / "demo-1.0.tar.gz",
        {"demo-1.0/pkg/__init__.py": b"x = 1\n", "demo-1.0/LICENSE": b"MIT\n"},
    )
    refuse_followed(sdist, outside_content(repo, repo))  # raises nothing

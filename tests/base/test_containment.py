"""Containment: what stays inside a folder, what leaves it, and the archives a build makes."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from release.base import containment
from release.base.errors import BadInput
from release.base.fsutil import atomic_write
from release.core.engine import archive_check
from release.core.engine.artifacts import ArtifactManifest


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """repo/ with a file, a link inside, links out; outside.txt beside it."""
    (tmp_path / "outside.txt").write_text("SECRET-OUTSIDE")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "LICENSE").write_text("MIT")
    (repo / "LICENSE").symlink_to("docs/LICENSE")
    (repo / "OUT").symlink_to("../outside.txt")
    (repo / "ABS").symlink_to(tmp_path / "outside.txt")
    (repo / "up").symlink_to("..")
    return repo


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../outside.txt", "is outside the repository"),
        ("docs/../../outside.txt", "is outside the repository"),
        ("/etc/hostname", "is an absolute path"),
        ("C:\\Windows\\win.ini", "is an absolute path"),
        ("OUT", "is a symlink to ../outside.txt, outside the repository"),
        ("ABS", "is a symlink to /"),
        ("up/outside.txt", "is a symlink to .., outside the repository"),
    ],
)
def test_a_path_leaving_the_repository_is_refused(tree: Path, name: str, reason: str) -> None:
    with pytest.raises(BadInput) as refused:
        containment.inside(tree, name, what="[build] include")
    assert refused.value.message.startswith(f"[build] include {name} ")
    assert reason in refused.value.message


def test_inside_stays_inside(tree: Path) -> None:
    assert containment.inside(tree, "LICENSE", what="x") == tree / "LICENSE"
    assert containment.inside(tree, "docs/../LICENSE", what="x") == tree / "docs/../LICENSE"
    assert containment.inside(tree, "missing.md", what="x") == tree / "missing.md"


def test_a_written_file_is_never_a_symlink_even_inside(tree: Path) -> None:
    with pytest.raises(BadInput, match=r"the changelog LICENSE is a symlink to docs/LICENSE"):
        containment.writable(tree, tree / "LICENSE", what="the changelog")
    with pytest.raises(BadInput, match="outside the repository"):
        containment.writable(tree, tree / "OUT", what="the changelog")
    assert containment.writable(tree, tree / "docs" / "LICENSE", what="x")


def test_atomic_write_never_writes_through_a_symlink(tree: Path) -> None:
    with pytest.raises(BadInput, match="is a symlink"):
        atomic_write(tree / "OUT", "overwritten")
    assert (tree.parent / "outside.txt").read_text() == "SECRET-OUTSIDE"
    assert (tree / "OUT").is_symlink()


def test_outside_links_names_only_links_that_leave(tree: Path) -> None:
    files = [tree / n for n in ("LICENSE", "OUT", "ABS", "docs/LICENSE", "up/outside.txt")]
    found = dict(containment.outside_links(tree, files))
    assert set(found) == {tree / "OUT", tree / "ABS", tree / "up/outside.txt"}


def _tar(path: Path, members: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info in members:
            data = b"x" if info.isfile() else None
            info.size = len(data) if data else 0
            tar.addfile(info, io.BytesIO(data) if data else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


@pytest.mark.parametrize(
    ("member", "says"),
    [
        (_member("/etc/passwd"), "is an absolute path"),
        (_member("pkg/../../evil"), 'goes up with ".."'),
        (_member("pkg/LICENSE", tarfile.SYMTYPE, "../../outside.txt"), "is a symlink"),
        (_member("pkg/LICENSE", tarfile.SYMTYPE, "/etc/passwd"), "is a symlink"),
        (_member("pkg/LICENSE", tarfile.LNKTYPE, "../x"), "is a hard link"),
        (_member("pkg/dev", tarfile.CHRTYPE), "neither a file nor a folder"),
    ],
)
def test_an_sdist_or_crate_with_a_member_out_of_it_is_refused(
    tmp_path: Path, member: tarfile.TarInfo, says: str
) -> None:
    crate = _tar(tmp_path / "demo-1.0.0.crate", [_member("pkg/ok.txt"), member])
    with pytest.raises(BadInput, match="holds what must not be published") as refused:
        archive_check.refuse_unsafe(crate)
    assert says in refused.value.message


def test_a_link_inside_an_sdist_and_plain_files_pass(tmp_path: Path) -> None:
    sdist = _tar(
        tmp_path / "demo-1.0.0.tar.gz",
        [_member("demo/a.txt"), _member("demo/b.txt", tarfile.SYMTYPE, "a.txt")],
    )
    assert archive_check.unsafe_members(sdist) == []


def test_a_wheel_with_a_symlink_or_an_absolute_name_is_refused(tmp_path: Path) -> None:
    wheel = tmp_path / "demo-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("demo/__init__.py", "")
        link = zipfile.ZipInfo("demo/LICENSE")
        link.external_attr = (0o120777) << 16
        archive.writestr(link, "../../outside.txt")
        archive.writestr("/abs.txt", "")
    found = archive_check.unsafe_members(wheel)
    assert found == [
        "demo/LICENSE is a symlink (to ../../outside.txt)",
        "/abs.txt is an absolute path",
    ]


def _manifest(dist: Path, path: str, signature: str | None = None) -> None:
    dist.mkdir(parents=True, exist_ok=True)
    artifact = {
        "path": path,
        "kind": "sdist",
        "sha256": "0" * 64,
        "size": 1,
        "signature": signature,
    }
    data = {"version": "1.0.0", "tag": "v1.0.0", "commit": "a" * 40, "artifacts": [artifact]}
    (dist / "artifacts.json").write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("path", "signature", "says"),
    [
        ("../outside.txt", None, 'goes up with ".."'),
        ("/etc/passwd", None, "is an absolute path"),
        ("ok.tar.gz", "../../x.asc", 'goes up with ".."'),
        ("link.tar.gz", None, "is a symlink to"),
    ],
)
def test_artifacts_json_listing_a_file_out_of_its_folder_is_refused(
    tmp_path: Path, path: str, signature: str | None, says: str
) -> None:
    dist = tmp_path / "dist"
    _manifest(dist, path, signature)
    (tmp_path / "outside.txt").write_text("SECRET-OUTSIDE")
    (dist / "link.tar.gz").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(BadInput, match="nothing was published") as refused:
        ArtifactManifest.load(dist)
    assert says in refused.value.message
    assert refused.value.where == str(dist / "artifacts.json")

"""The artifact manifest: written, read back, merged across machines, conflicts refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from release.base.errors import BadInput
from release.core.engine.artifacts import (
    Artifact,
    ArtifactManifest,
    artifact_folders,
    merge,
    sha256_file,
)


def build(dist: Path, files: dict[str, bytes], *, commit: str = "c0ffee" * 6) -> ArtifactManifest:
    manifest = ArtifactManifest("1.2.0", "v1.2.0", commit)
    dist.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (dist / name).write_bytes(data)
        manifest.add(Artifact.of(dist, dist / name, "binary-archive", target=name.split(".")[0]))
    manifest.save(dist)
    return ArtifactManifest.load(dist)


def test_round_trip_and_hashes(tmp_path: Path) -> None:
    loaded = build(tmp_path / "dist", {"a.tar.gz": b"aaa", "b.zip": b"b" * 5000})
    assert [a.path for a in loaded.artifacts] == ["a.tar.gz", "b.zip"]
    assert loaded.artifacts[1].sha256 == hashlib.sha256(b"b" * 5000).hexdigest()
    assert loaded.artifacts[1].size == 5000
    assert loaded.file(loaded.artifacts[0]).read_bytes() == b"aaa"


def test_streaming_hash_of_a_file_larger_than_a_chunk(tmp_path: Path) -> None:
    path = tmp_path / "big"
    data = bytes(range(256)) * 20_000  # about 5 MiB: several 1 MiB chunks
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_merge_of_two_runners(tmp_path: Path) -> None:
    linux = build(tmp_path / "linux", {"x86_64.tar.gz": b"L", "SHA": b"same"})
    mac = build(tmp_path / "mac", {"aarch64.tar.gz": b"M", "SHA": b"same"})
    merged = merge([linux, mac])
    names = sorted(Path(a.path).name for a in merged.artifacts)
    assert names == ["SHA", "aarch64.tar.gz", "x86_64.tar.gz"]  # the shared file once
    assert all(merged.file(a).is_file() for a in merged.artifacts)


def test_merge_refuses_the_same_name_with_other_content(tmp_path: Path) -> None:
    one = build(tmp_path / "one", {"app.tar.gz": b"first"})
    two = build(tmp_path / "two", {"app.tar.gz": b"second"})
    with pytest.raises(BadInput, match=r"app\.tar\.gz differs between"):
        merge([one, two])


def test_merge_refuses_other_commits(tmp_path: Path) -> None:
    one = build(tmp_path / "one", {"a": b"1"})
    two = build(tmp_path / "two", {"b": b"2"}, commit="deadbeef" * 5)
    with pytest.raises(BadInput, match="built from"):
        merge([one, two])


def test_missing_and_broken_manifests(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no artifact manifest"):
        ArtifactManifest.load(tmp_path)
    (tmp_path / "artifacts.json").write_text('{"version": "1.2.0"}')
    with pytest.raises(BadInput, match="not a valid artifact manifest"):
        ArtifactManifest.load(tmp_path)


def test_artifact_folders_are_given_or_found_one_level_down(tmp_path: Path) -> None:
    """What actions/download-artifact lays out (a folder per upload) is taken as it is; a
    folder with a manifest is taken itself, and its subfolders are not looked into."""
    build(tmp_path / "downloads" / "dist-b", {"b.zip": b"b"})
    build(tmp_path / "downloads" / "dist-a", {"a.zip": b"a"})
    build(tmp_path / "one", {"c.zip": b"c"})
    build(tmp_path / "one" / "inner", {"d.zip": b"d"})
    found = artifact_folders([tmp_path / "downloads", tmp_path / "one"])
    assert found == [
        tmp_path / "downloads" / "dist-a",
        tmp_path / "downloads" / "dist-b",
        tmp_path / "one",
    ]
    (tmp_path / "empty" / "deeper" / "dist").mkdir(parents=True)
    build(tmp_path / "empty" / "deeper" / "dist", {"e.zip": b"e"})  # two levels down: not found
    with pytest.raises(BadInput, match=r"no artifact manifest in .*empty nor in any folder"):
        artifact_folders([tmp_path / "empty"])

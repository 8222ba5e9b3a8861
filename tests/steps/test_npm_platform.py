"""Target triples as npm platforms, and which dist-tag a version gets: pure functions."""

from __future__ import annotations

import pytest

from release.base.errors import ReleaseError
from release.base.versioning import Version
from release.steps.npm.platform import platform
from release.steps.npm.registry import dist_tag


@pytest.mark.parametrize(
    ("triple", "os", "cpu", "libc", "suffix"),
    [
        ("x86_64-unknown-linux-gnu", "linux", "x64", "glibc", "linux-x64-gnu"),
        ("aarch64-unknown-linux-musl", "linux", "arm64", "musl", "linux-arm64-musl"),
        ("armv7-unknown-linux-gnueabihf", "linux", "arm", "glibc", "linux-arm-gnueabihf"),
        ("aarch64-apple-darwin", "darwin", "arm64", None, "darwin-arm64"),
        ("x86_64-pc-windows-msvc", "win32", "x64", None, "win32-x64-msvc"),
        ("i686-pc-windows-gnu", "win32", "ia32", None, "win32-ia32-gnu"),
        ("x86_64-unknown-freebsd", "freebsd", "x64", None, "freebsd-x64"),
    ],
)
def test_platform(triple: str, os: str, cpu: str, libc: str | None, suffix: str) -> None:
    found = platform(triple)
    assert (found.os, found.cpu, found.libc, found.suffix) == (os, cpu, libc, suffix)
    assert found.exe == (".exe" if os == "win32" else "")


def test_an_unknown_triple_says_so() -> None:
    with pytest.raises(ReleaseError, match="wasm32-unknown-unknown"):
        platform("wasm32-unknown-unknown")


@pytest.mark.parametrize(
    ("version", "tags", "tag"),
    [
        ("1.0.0", {}, "latest"),
        ("1.2.0", {"latest": "1.1.0"}, "latest"),
        ("1.4.1", {"latest": "2.0.0"}, "latest-1"),
        ("2.0.5", {"latest": "2.1.0"}, "latest-2.0"),
        ("2.1.0-rc.1", {"latest": "2.0.0"}, "rc"),
        ("3.0.0-beta.2", {"latest": "2.0.0", "beta": "3.0.0-beta.1"}, "beta"),
        ("2.0.0", {"latest": "2.0.0-rc.1"}, "latest"),
    ],
)
def test_latest_never_moves_backwards(version: str, tags: dict[str, str], tag: str) -> None:
    assert dist_tag(Version.parse(version), tags) == tag

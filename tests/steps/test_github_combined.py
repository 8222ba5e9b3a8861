"""The combined GitHub release's assets: every package's files, a shared name told apart."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from release.core.engine.artifacts import Artifact, ArtifactManifest
from release.core.engine.context import ReleaseContext
from release.steps.github.combined import combined_assets


def package(dist: Path, name: str, files: list[str]) -> ReleaseContext:
    manifest = ArtifactManifest("1.0.0", f"{name}-v1.0.0", "c0ffee", root=dist / name)
    for file in files:
        manifest.add(Artifact(file, "file", f"sha-{name}-{file}", 1))
    found: Any = SimpleNamespace(package=SimpleNamespace(name=name), manifest=lambda: manifest)
    return cast(ReleaseContext, found)


def test_shared_names_carry_the_package_and_the_others_stay(tmp_path: Path) -> None:
    core = package(tmp_path, "core", ["core-v1.0.0-x86_64.tar.gz", "SHA256SUMS", "SHA256SUMS.asc"])
    py = package(tmp_path, "lens-py", ["lens_py-1.0.0.tar.gz", "SHA256SUMS", "SHA256SUMS.asc"])
    assets = combined_assets([core, py])
    assert sorted(assets) == [
        "core-SHA256SUMS",
        "core-SHA256SUMS.asc",
        "core-v1.0.0-x86_64.tar.gz",
        "lens-py-SHA256SUMS",
        "lens-py-SHA256SUMS.asc",
        "lens_py-1.0.0.tar.gz",
    ]
    assert assets["lens-py-SHA256SUMS"] == (
        tmp_path / "lens-py" / "SHA256SUMS",
        "sha-lens-py-SHA256SUMS",
    )
    assert assets["core-v1.0.0-x86_64.tar.gz"][0] == tmp_path / "core" / "core-v1.0.0-x86_64.tar.gz"

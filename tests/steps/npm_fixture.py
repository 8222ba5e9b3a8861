"""A tagged project whose dist/ holds release archives of a tiny "binary" (a shell script
that prints its version) for three targets, and an `[npm]` section naming a loopback
registry: what the npm step publishes, without a cargo build."""

from __future__ import annotations

import subprocess
from pathlib import Path

from release.core.engine.artifacts import Artifact, ArtifactManifest
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.artifacts import archive

from ..conftest import Repo

TARGETS = ("aarch64-apple-darwin", "x86_64-pc-windows-msvc", "x86_64-unknown-linux-gnu")
HOST = ("x86_64-unknown-linux-gnu",)  # one package and the main one: a faster publish


def project(repo: Repo, registry: str, name: str, version: str = "1.2.3", extra: str = "") -> None:
    repo.write("README.md", f"# {name}\n\nA tool.\n")
    repo.write("LICENSE", "MIT License\n")
    repo.write(
        "release.toml",
        f'[npm]\nshape = "binaries"\nname = "{name}"\nbinary = "tool"\n'
        f'registry = "{registry}"\n{extra}',
    )
    repo.commit("feat: the tool", file="src.txt")
    repo.tag(f"v{version}")


def build(repo: Repo, said: str = "", targets: tuple[str, ...] = TARGETS) -> ReleaseContext:
    """The archives `release build` would make, one per target, in dist/."""
    ctx = plan_tagged(repo.path)
    assert ctx.version is not None
    version = str(ctx.version)
    work = repo.path.parent / "bin-src"
    work.mkdir(exist_ok=True)
    exe = work / "tool"
    exe.write_text(f'#!/bin/sh\necho "tool {version}{said}"\n')
    exe.chmod(0o755)
    ctx.dist.mkdir(parents=True, exist_ok=True)
    manifest = ArtifactManifest(version, f"v{version}", repo.git("rev-parse", "HEAD"))
    for target in targets:
        windows = "windows" in target
        entries = [("tool.exe" if windows else "tool", exe), ("README.md", repo.path / "README.md")]
        top = f"tool-v{version}-{target}"
        path = archive.write(ctx.dist / (top + (".zip" if windows else ".tar.gz")), entries, top, 0)
        manifest.add(Artifact.of(ctx.dist, path, "binary-archive", target=target, name="tool"))
    manifest.save(ctx.dist)
    return plan_tagged(repo.path)


def npm_install(folder: Path, registry: str, spec: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"private": true}\n')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--registry", registry, spec],
        cwd=folder,
        check=True,
        capture_output=True,
        env={**_env(folder)},
    )


def _env(folder: Path) -> dict[str, str]:
    import os

    # A cache of the scratch folder's own: the machine's npm cache never serves these names.
    return {**os.environ, "npm_config_cache": str(folder / ".npm-cache")}


def npx(folder: Path, registry: str, *args: str) -> str:
    proc = subprocess.run(
        ["npx", "--no-install", "--registry", registry, *args],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
        env=_env(folder),
    )
    return proc.stdout.strip()

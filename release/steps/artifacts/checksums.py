"""SHA256SUMS over every artifact, in the format `sha256sum -c` reads.

Each file is hashed again by streaming (flat memory on multi-GB files), concurrently, and must
match what its build step recorded: a file changed after it was built is a loud error.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from release.base.errors import ReleaseError
from release.base.fsutil import atomic_write
from release.core.engine.artifacts import Artifact, sha256_file
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Step, Verdict

SUMS = "SHA256SUMS"
_SKIP = {"signature", "checksums"}


def hash_all(paths: list[Path]) -> list[str]:
    """sha256 of each file; hashlib releases the GIL on large reads, so threads overlap."""
    workers = min(len(paths), os.cpu_count() or 2, 8) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(sha256_file, paths))


def listed(ctx: ReleaseContext) -> list[Artifact]:
    return sorted(
        (a for a in ctx.manifest().artifacts if a.kind not in _SKIP), key=lambda a: a.path
    )


def render(ctx: ReleaseContext) -> str:
    artifacts = listed(ctx)
    manifest = ctx.manifest()
    digests = hash_all([manifest.file(a) for a in artifacts])
    lines = []
    for artifact, digest in zip(artifacts, digests, strict=True):
        if digest != artifact.sha256:
            raise ReleaseError(
                f"{artifact.path} changed after it was built (sha256 {digest[:12]}…, "
                f"built as {artifact.sha256[:12]}…)",
                hint="rebuild: `release build` (never edit files in the dist folder)",
            )
        lines.append(f"{digest}  {artifact.path}\n")  # two spaces: binary mode for sha256sum
    return "".join(lines)


class ChecksumsStep(Step):
    name = "checksums"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return APPLIES

    def describe(self, ctx: ReleaseContext) -> str:
        if ctx.package is None:
            return f"write {ctx.config.build.dist}/{SUMS} over every artifact"
        return f"write {ctx.relpath(ctx.dist)}/{SUMS} over {ctx.package.name}'s artifacts"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        path = ctx.dist / SUMS
        recorded = ctx.manifest().of_kind("checksums")
        if not (recorded and path.is_file() and listed(ctx)):
            return False
        return sha256_file(path) == recorded[0].sha256 and path.read_text() == render(ctx)

    def run(self, ctx: ReleaseContext) -> None:
        if not listed(ctx):
            return  # nothing was built
        path = ctx.dist / SUMS
        atomic_write(path, render(ctx))
        ctx.manifest().add(Artifact.of(ctx.dist, path, "checksums"))

"""The build matrix of release.yml: one GitHub Actions runner per target triple.

The Python packages (pure or not) and their SBOM are built on the first runner only, so
that two runners never make two different sdists of one version.
"""

from __future__ import annotations

from typing import Any

from release.core.engine.context import ReleaseContext

DEFAULT_TARGET = "x86_64-unknown-linux-gnu"
# What a build leg says, and the workflows' build jobs read (matrix.runner, ...).
LEG_KEYS = ("runner", "target", "args", "dist", "artifact")


def runner_for(target: str) -> str:
    if "apple-darwin" in target:
        return "macos-14" if target.startswith("aarch64") else "macos-13"
    if "windows" in target:
        return "windows-2022"
    if target.startswith("aarch64") and "linux" in target:
        return "ubuntu-24.04-arm"
    return "ubuntu-24.04"


def build_matrix(ctx: ReleaseContext) -> dict[str, Any]:
    """{"include": [{"runner", "target", "args", "dist", "artifact"}, ...]} for
    `strategy.matrix`: `release build ARGS` on RUNNER fills DIST, uploaded as ARTIFACT."""
    python = ctx.config.build.python and bool(ctx.layout.python)
    targets = ctx.config.build.targets or [DEFAULT_TARGET]
    if ctx.layout.cargo is None:
        targets = targets[:1]  # nothing is built per target: one runner does it all
    include = []
    for number, target in enumerate(targets):
        args = ["--target", target] if ctx.layout.cargo is not None else []
        if number > 0 and python:
            args.append("--no-python")
        include.append(_leg(ctx, target, args, f"dist-{target}"))
    return {"include": include}


def train_matrix(ctxs: list[ReleaseContext], binaries: set[str]) -> dict[str, Any]:
    """Independent mode: one leg per released package, and per target for the packages in
    `binaries` (those that build binaries); `release build --package NAME ...` builds it
    into that package's dist folder, uploaded as `artifact`. A package's Python files and
    SBOM are built on its first leg only, as in lockstep."""
    include = []
    for ctx in ctxs:
        assert ctx.package is not None
        name = ctx.package.name
        split = name in binaries
        targets = (ctx.config.build.targets or [DEFAULT_TARGET]) if split else [DEFAULT_TARGET]
        for number, target in enumerate(targets):
            args = ["--package", name] + (["--target", target] if split else [])
            if number > 0:
                args.append("--no-python")
            include.append({"package": name, **_leg(ctx, target, args, f"dist-{name}-{target}")})
    return {"include": include}


def _leg(ctx: ReleaseContext, target: str, args: list[str], artifact: str) -> dict[str, str]:
    """`release build ARGS` on RUNNER fills DIST, uploaded as ARTIFACT."""
    values = (runner_for(target), target, " ".join(args), ctx.relpath(ctx.dist), artifact)
    return dict(zip(LEG_KEYS, values, strict=True))

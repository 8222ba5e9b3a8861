"""The checks of the Rust targets a release builds binaries for. Two kinds:

- what holds on any machine: each target is one rustc knows (a typo in [build] targets
  stops the plan, not the build leg it would have run on);
- what belongs to the machine that builds it: the target's standard library installed here,
  cargo-zigbuild. Where the build runs on a runner per target (`release verify
  --targets-on-runners`, the plan job of release.yml), these are left to that runner:
  `release build --target T` makes them there, after the leg's `rustup target add`.
"""

from __future__ import annotations

from release.core.engine.context import Problem, ReleaseContext
from release.core.settings import config_paths
from release.tools import cargo


def problems(ctx: ReleaseContext, step: str, targets: list[str]) -> list[Problem]:
    """Each target's problems on this machine, or only those of any machine when its
    toolchain is checked on its own runner."""
    found = unknown(ctx, step, targets)
    if ctx.targets_on_runners and not ctx.targets:
        return found
    return found + toolchain(ctx, step, [t for t in targets if not _is_spec(t)])


def unknown(ctx: ReleaseContext, step: str, targets: list[str]) -> list[Problem]:
    known = cargo.known_targets()
    if known is None:
        return []  # rustc cannot list them: the build names a bad one
    given = "--target" if ctx.targets else "[build] targets"
    where = None if ctx.targets else config_paths.where(ctx.config, ("build", "targets"))
    return [
        Problem(
            step,
            f"{target!r} is not a Rust target",
            hint=f"name one `rustc --print target-list` lists in {given} (or, if the target "
            "is newer than this rustc, update Rust: rustup update)",
            where=where,
        )
        for target in targets
        if not _is_spec(target) and target not in known
    ]


def toolchain(ctx: ReleaseContext, step: str, targets: list[str]) -> list[Problem]:
    """What this machine lacks to build `targets`."""
    zig = ctx.config.build.zigbuild
    if zig and targets and not cargo.zigbuild_available():
        return [
            Problem(
                step, "cargo-zigbuild is not installed", hint="pip install ziglang cargo-zigbuild"
            )
        ]
    installed = cargo.installed_targets()
    return [
        Problem(
            step,
            f"the Rust target {target} is not installed",
            hint=f"rustup target add {target}"
            + ("" if zig else " (and a linker for it, or set [build] zigbuild = true)"),
        )
        for target in targets
        if target not in installed and target in (cargo.known_targets() or {target})
    ]


def _is_spec(target: str) -> bool:
    """A custom target: a JSON target specification's path, which cargo takes as well."""
    return target.endswith(".json")

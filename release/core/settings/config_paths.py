"""Every path the release config names, checked against the repository before a release
starts (base/containment.py says what stays inside): each violation is one problem at the
config's file and line, which `release verify` shows and a cut refuses in its preflight."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from release.base import containment
from release.base.errors import BadInput
from release.core.engine.context import Problem, ReleaseContext
from release.core.settings.config import Config

STEP = "paths"


@dataclass(frozen=True)
class Named:
    """One path the config names: its key, the text, how it is used."""

    key: tuple[str, ...]
    name: str
    written: bool = False
    base: Path | None = None  # relative to this folder rather than the repository's root


def named(ctx: ReleaseContext) -> Iterator[Named]:
    cfg = ctx.config
    if cfg.changelog.enabled:
        yield Named(("changelog", "path"), cfg.changelog.path, written=True)
        for also in cfg.changelog.also:
            yield Named(("changelog", "also"), also, written=True)
        yield Named(("changelog", "config"), cfg.changelog.config)
    manifests = cfg.manifests
    if manifests.cargo:
        yield Named(("manifests", "cargo"), manifests.cargo, written=True)
    for key in ("python", "version_files", "npm"):
        for name in getattr(manifests, key) or []:
            yield Named(("manifests", key), name, written=True)
    for extra in manifests.extra:
        yield Named(("manifests", "extra", "path"), extra.path, written=True)
    yield Named(("build", "dist"), cfg.build.dist)
    workspace = ctx.layout.cargo.parent if ctx.layout.cargo is not None else None
    for name in cfg.build.include or []:  # unset: README and licences found, checked when packed
        yield Named(("build", "include"), name, base=workspace)
    for binary in cfg.build.binaries or []:
        for name in binary.include or []:
            yield Named(("build", "binaries", "include"), name, base=workspace)
    if cfg.homebrew.formula:
        yield Named(("homebrew", "formula"), cfg.homebrew.formula)
    if cfg.docker.build:
        yield Named(("docker", "dockerfile"), cfg.docker.dockerfile)


def problems(ctx: ReleaseContext) -> list[Problem]:
    found = []
    for path in named(ctx):
        what = f"[{path.key[0]}] {path.key[-1]}"
        try:
            full = containment.inside(ctx.root, path.name, what=what, base=path.base)
            if path.written:
                containment.writable(ctx.root, full, what=what)
        except BadInput as exc:
            found.append(Problem(STEP, exc.message, exc.hint, where=where(ctx.config, path.key)))
    found += leaving_links(ctx)
    tap_path = ctx.config.homebrew.path
    reason = containment.named_escape(tap_path)
    if ctx.config.homebrew.tap and reason is not None:
        found.append(
            Problem(
                STEP,
                f"[homebrew] path {tap_path} {reason}",
                hint='name the formula inside the tap, e.g. "Formula/{name}.rb"',
                where=where(ctx.config, ("homebrew", "path")),
            )
        )
    return found


def leaving_links(ctx: ReleaseContext) -> list[Problem]:
    """Symlinks in the repository that leave it: a build backend (setuptools, hatchling,
    maturin, cargo) follows them and packs the outside file's content."""
    files = [ctx.git.root / name for name in ctx.git.symlinks()]
    return [
        Problem(
            STEP,
            f"{ctx.relpath(path)} is a symlink to {target}, outside the repository: a build "
            "would pack that file's content",
            hint="replace the link with the file itself, or remove it",
        )
        for path, target in containment.outside_links(ctx.git.root, files)
    ]


def where(config: Config, key: tuple[str, ...]) -> str | None:
    """The config file and line of `key`, for problems that name it."""
    if config.source is None:
        return None
    from release.core.settings.config_validation import locate

    table = ("tool", "release") if config.source.name == "pyproject.toml" else ()
    line = locate(config.source.read_text(encoding="utf-8"), (*table, *key))
    return f"{config.source}:{line}" if line else str(config.source)

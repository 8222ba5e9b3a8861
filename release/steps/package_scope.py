"""Independent versions: which steps belong to which package's release.

A step run with `ctx.package` set releases only what belongs to that package: the crates
step its crate, wheels and PyPI its Python distributions. What the repository makes once
(the Docker image, the Homebrew formula, every binary) follows the package a config key
names (`[docker] package`, `[homebrew] package`, `[build] package`). With `ctx.package`
None (lockstep) every function here leaves the step as it always was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from release.base._toml import tomllib
from release.base.errors import ConfigError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Skip, Verdict
from release.core.project import pyproject_meta

if TYPE_CHECKING:
    from release.core.project.packages import Package


def file_tag(ctx: ReleaseContext) -> str:
    """The tag as it appears in file names: a package tag such as `core/v1.2.0` would make
    a folder of an archive's name, and GitHub asset names have no `/`."""
    return ctx.tag if ctx.package is None else ctx.tag.replace("/", "-")


def is_kind(package: Package) -> str:
    """ "tool is a crate package", for the reasons a step gives to skip."""
    article = "an" if package.kind == "npm" else "a"
    kind = "Python" if package.kind == "python" else package.kind
    return f"{package.name} is {article} {kind} package"


def not_kind(ctx: ReleaseContext, kind: str, what: str) -> Skip | None:
    """Skip when this context releases a package of another kind than `kind`."""
    package = ctx.package
    if package is None or package.kind == kind:
        return None
    return Skip(f"{is_kind(package)}: {what}")


def workspace(ctx: ReleaseContext) -> Path | None:
    """The Cargo workspace's root manifest. A Python or npm package's layout has none; the
    package named by `[build] package` builds the binaries from the workspace all the same."""
    if ctx.layout.cargo is not None or ctx.package is None:
        return ctx.layout.cargo
    return ctx.lookups.layout(ctx.root, ctx.config).cargo


def python_projects(ctx: ReleaseContext) -> list[Path]:
    """The pyproject.toml files this release builds: every one in lockstep; a Python
    package's own; for a crate, the maturin projects whose version is that crate's (maturin
    reads it from the crate's Cargo.toml, so the wheel is released with the crate)."""
    package = ctx.package
    if package is None or package.kind == "python":
        return list(ctx.layout.python)
    if package.kind != "crate":
        return []
    python = ctx.lookups.layout(ctx.root, ctx.config).python
    follows = [p for p in python if maturin_crate(p) == package.manifest_name]
    return follows + [p for p in package.companions if p not in follows]  # same name, same tag


def maturin_crate(pyproject: Path) -> str | None:
    """The crate a maturin project takes its version from; None for any other project,
    and for one that states its own version."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    system = data.get("build-system", {})
    if not isinstance(system, dict) or system.get("build-backend") != "maturin":
        return None
    if pyproject_meta.version_of(data) is not None:
        return None  # a version of its own: a Python package of its own
    maturin = data.get("tool", {}).get("maturin", {})
    manifest = pyproject.parent / str(maturin.get("manifest-path", "Cargo.toml"))
    if not manifest.is_file():
        return None
    name = tomllib.loads(manifest.read_text(encoding="utf-8")).get("package", {}).get("name")
    return name if isinstance(name, str) else None


def follows(ctx: ReleaseContext, key: str, named: str | None) -> Verdict:
    """Whether a repository-wide publisher (`key`: "[docker] package") works in this
    context: always in lockstep; in independent mode only in the named package's release.
    Unset, or naming no package, it applies so that `check` says what to fix."""
    package = ctx.package
    if package is None or named is None or named == package.name:
        return APPLIES
    if named not in package_names(ctx):
        return APPLIES  # follower_problem names the packages there are
    return Skip(f"{key} = {named!r}: it is released with {named}, not {package.name}")


def follower_problem(
    ctx: ReleaseContext, step: str, key: str, named: str | None, what: str
) -> Problem | None:
    """In independent mode, the error of a publisher whose package is unknown, or unset
    when `what` ("the Docker image is tagged") would then happen in no release at all
    ("" when each package can do its own part unnamed, as binaries do)."""
    package = ctx.package
    if package is None or named == package.name:
        return None
    if named is None:
        if not what:
            return None  # optional: each package does its own part
        return Problem(
            step,
            f"independent versions: {what} with no package's release ({key} is not set)",
            hint=f'set {key} = "name" to the package whose release it follows',
        )
    names = package_names(ctx)
    if named in names:
        return None  # another package's release does it
    return Problem(
        step,
        f"{key} = {named!r} names no package of this repository",
        hint="packages: " + ", ".join(sorted(names)),
    )


def raise_follower_problem(problem: Problem | None) -> None:
    """A run without its check stops where the check would have."""
    if problem is not None:
        raise ConfigError(problem.message, hint=problem.hint)


def package_names(ctx: ReleaseContext) -> set[str]:
    return {p.name for p in ctx.lookups.packages(ctx.root, ctx.config)}

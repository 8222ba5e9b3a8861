"""A wheel and an sdist of every Python package, built in isolation (pypa/build), or through
maturin for a maturin backend; `twine check` on each before anything can be published."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from release.base._toml import tomllib
from release.core.engine import archive_check
from release.core.engine.artifacts import Artifact, sha256_file
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.core.project import pyproject_meta
from release.core.project.manifests import normalized, python_version
from release.steps.package_scope import is_kind, python_projects
from release.tools import build, twine


def backend(pyproject: Path) -> str | None:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    system = data.get("build-system", {})
    return system.get("build-backend") if isinstance(system, dict) else None


def project_name(pyproject: Path) -> str:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return pyproject_meta.name_of(data) or pyproject.parent.name


def build_into(package: Path, out: Path) -> list[Path]:
    """Wheel and sdist of the package into `out`; nothing is left in the package folder."""
    if backend(package / "pyproject.toml") == "maturin":
        build.maturin(package, out)
    else:
        build.pypa_build(package, out)
    return sorted(out.iterdir())


def no_python(ctx: ReleaseContext) -> str:
    if ctx.package is None:
        return "no Python package (pyproject.toml)"
    return f"{is_kind(ctx.package)} with no Python distribution"


class WheelsStep(Step):
    name = "wheels"
    public = False

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        return True

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.build.python:
            return Skip("[build] python = false (or --no-python)")
        return skip_unless(python_projects(ctx), no_python(ctx))

    def describe(self, ctx: ReleaseContext) -> str:
        names = ", ".join(project_name(p) for p in python_projects(ctx))
        return f"build, then twine check, the wheel and sdist of {names}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems = []
        assert ctx.version is not None
        wanted = {normalized(str(ctx.version))}
        if ctx.previous:
            wanted.add(normalized(str(ctx.previous.version)))  # the bump comes first in a cut
        for pyproject in python_projects(ctx):
            where = ctx.relpath(pyproject)
            if backend(pyproject) is None:
                problems.append(
                    Problem(
                        self.name,
                        f"{where} declares no [build-system]: setuptools' legacy backend builds it",
                        hint='declare it: [build-system] build-backend = "setuptools.build_meta"',
                        severity="warning",
                    )
                )
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            version = pyproject_meta.version_of(data) or ""
            if version and normalized(version) not in wanted:
                problems.append(
                    Problem(
                        self.name,
                        f"{where} says version {version}, not {python_version(ctx.version)}",
                        hint="let the bump step set it (release cut), or fix it by hand",
                    )
                )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        built = [a for a in ctx.manifest().of_kind("wheel", "sdist")]
        names = {project_name(p) for p in python_projects(ctx)}
        return (
            {a.name for a in built} >= names
            and all((ctx.dist / a.path).is_file() for a in built)
            and all(sha256_file(ctx.dist / a.path) == a.sha256 for a in built)
        )

    def run(self, ctx: ReleaseContext) -> None:
        ctx.dist.mkdir(parents=True, exist_ok=True)
        manifest = ctx.manifest()
        for pyproject in python_projects(ctx):
            outside = archive_check.outside_content(pyproject.parent, ctx.root)
            with tempfile.TemporaryDirectory(prefix="release-dist-") as tmp:
                files = build_into(pyproject.parent, Path(tmp))
                for file in files:  # what the backend packed, before anything can upload it
                    archive_check.refuse_unsafe(file)
                    archive_check.refuse_followed(file, outside)
                twine.check(files)  # before any file reaches dist/: a failure registers nothing
                name = project_name(pyproject)
                for file in files:
                    target = ctx.dist / file.name
                    shutil.move(str(file), target)
                    kind = "wheel" if file.suffix == ".whl" else "sdist"
                    manifest.add(Artifact.of(ctx.dist, target, kind, name=name))

"""Build each configured binary for each target and pack it into a reproducible archive:
NAME-vX.Y.Z-TARGET.tar.gz (.zip for Windows) holding the binary, README and LICENSE."""

from __future__ import annotations

from pathlib import Path

from release.base.containment import inside
from release.base.errors import ReleaseError
from release.core.engine.artifacts import Artifact, sha256_file
from release.core.engine.context import BinaryJob, Problem, ReleaseContext
from release.core.engine.step import APPLIES, Skip, Step, Verdict, skip_unless
from release.core.project.licences import default_include, licence_files
from release.steps.artifacts import archive
from release.steps.artifacts import targets as build_targets
from release.steps.crates import preflight as crates_preflight
from release.steps.package_scope import file_tag, follower_problem, follows, is_kind, workspace
from release.tools import cargo


def targets(ctx: ReleaseContext) -> list[str]:
    return ctx.targets or ctx.config.build.targets or [cargo.host_triple()]


def builds_binaries(ctx: ReleaseContext) -> bool | None:
    """Independent versions: whether this package's release builds binaries at all. The
    package `[build] package` names builds every one; without it a crate builds its own
    (None: filter the jobs by crate). Lockstep builds them all."""
    named = ctx.config.build.package
    if ctx.package is None or named == ctx.package.name:
        return True
    if named is not None or ctx.package.kind != "crate":
        return False
    return None


def jobs(ctx: ReleaseContext) -> list[BinaryJob]:
    if ctx.memo.binary_jobs is not None:
        return list(ctx.memo.binary_jobs)
    if builds_binaries(ctx) is False:
        ctx.memo.binary_jobs = []
        return []
    cargo_toml = workspace(ctx)
    assert cargo_toml is not None
    detected = cargo.binaries(ctx.lookups.cargo_metadata(cargo_toml.parent, no_deps=True))
    build = ctx.config.build
    wanted: list[tuple[str | None, str, list[str] | None]]
    if build.binaries is None:
        wanted = [(package, name, None) for package, name in detected]
    else:
        wanted = [(b.package, b.name, b.include) for b in build.binaries]
    found = []
    for package, name, include in wanted:
        owners = [p for p, n in detected if n == name and (package is None or p == package)]
        if not owners:
            raise ReleaseError(
                f"the workspace has no binary {name!r}" + (f" in {package}" if package else ""),
                hint="fix [[build.binaries]] in the release config (cargo metadata lists them)",
            )
        if include is None:
            include = (
                build.include if build.include is not None else default_include(cargo_toml.parent)
            )
        files = tuple(include)
        found += [BinaryJob(owners[0], name, target, files) for target in targets(ctx)]
    if builds_binaries(ctx) is None:  # a crate's release: the binaries of that crate
        assert ctx.package is not None
        found = [job for job in found if job.package == ctx.package.name]
    ctx.memo.binary_jobs = found
    return found


class BinariesStep(Step):
    name = "binaries"
    public = False

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        return True

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if builds_binaries(ctx) is False:
            assert ctx.package is not None
            named = ctx.config.build.package
            if named is not None:  # APPLIES when it names no package: check says so
                return follows(ctx, "[build] package", named)
            return Skip(f"{is_kind(ctx.package)}: no binary")
        if workspace(ctx) is None:
            return Skip("no Cargo workspace")
        if not cargo.available():
            return APPLIES  # a workspace without cargo: check says so
        try:
            none = "the Cargo workspace has no binary"
            if ctx.package is not None:
                none = f"{ctx.package.name} has no binary ([[bin]] or [[build.binaries]])"
            return skip_unless(jobs(ctx), none)
        except ReleaseError:
            return APPLIES  # a misconfigured binary: check says so

    def describe(self, ctx: ReleaseContext) -> str:
        try:
            names = [job.archive_name(file_tag(ctx)) for job in jobs(ctx)]
        except ReleaseError:
            names = []
        return "build and pack " + (", ".join(names) or "the binaries")

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        named = ctx.config.build.package
        if named is not None:
            unknown = follower_problem(ctx, self.name, "[build] package", named, "")
            if unknown is not None:
                return [unknown]
        if not cargo.available():
            return [Problem(self.name, "cargo is not installed", hint="install Rust with rustup")]
        try:
            planned = jobs(ctx)
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        problems = build_targets.problems(ctx, self.name, sorted({job.target for job in planned}))
        cargo_toml = workspace(ctx)
        root = cargo_toml.parent if cargo_toml else ctx.root
        locked = crates_preflight.lock_problem(self.name, root, ctx.relpath(root))
        problems += [locked] if locked is not None else []
        if ctx.config.build.include is None and planned and not licence_files(root):
            problems.append(
                Problem(
                    self.name,
                    "no licence file (LICENSE, LICENSE-MIT, LICENSE-APACHE, COPYING...) to pack "
                    "beside the binaries",
                    hint="add the project's licence file, or list the files to pack in "
                    "[build] include",
                )
            )
        for name in sorted({f for job in planned for f in job.include}):
            if not (root / name).is_file():
                problems.append(
                    Problem(
                        self.name,
                        f"{name}, to be packed beside the binaries, does not exist",
                        hint="add the file or change [build] include in the release config",
                    )
                )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        manifest = ctx.manifest()
        recorded = {a.path: a for a in manifest.of_kind("binary-archive")}
        for job in jobs(ctx):
            artifact = recorded.get(job.archive_name(file_tag(ctx)))
            path = ctx.dist / job.archive_name(file_tag(ctx))
            if artifact is None or not path.is_file() or sha256_file(path) != artifact.sha256:
                return False
        return True

    def run(self, ctx: ReleaseContext) -> None:
        cargo_toml = workspace(ctx)
        assert cargo_toml is not None
        root = cargo_toml.parent
        mtime = ctx.git.commit_time()
        target_dir = ctx.kept(root / "target")  # shared with the work tree: cheap rebuilds
        ctx.dist.mkdir(parents=True, exist_ok=True)
        manifest = ctx.manifest()
        for job in jobs(ctx):
            exe = cargo.build(
                root,
                package=job.package,
                binary=job.binary,
                target=job.target,
                zigbuild=ctx.config.build.zigbuild,
                target_dir=target_dir,
            )
            entries = [(exe.name, exe)] + [
                (Path(f).name, inside(ctx.root, f, what="[build] include", base=root))
                for f in job.include
            ]
            name = job.archive_name(file_tag(ctx))
            top = name.removesuffix(".tar.gz").removesuffix(".zip")
            path = archive.write(ctx.dist / name, entries, top, mtime)
            manifest.add(
                Artifact.of(ctx.dist, path, "binary-archive", target=job.target, name=job.binary)
            )

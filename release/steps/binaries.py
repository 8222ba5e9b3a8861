"""Build each configured binary for each target and pack it into a reproducible archive:
NAME-vX.Y.Z-TARGET.tar.gz (.zip for Windows) holding the binary, README and LICENSE."""

from __future__ import annotations

from pathlib import Path

from release.core.artifacts import Artifact, sha256_file
from release.core.context import BinaryJob, Problem, ReleaseContext
from release.core.errors import ReleaseError
from release.core.step import APPLIES, Skip, Step, Verdict, skip_unless
from release.steps import archive, crates_preflight
from release.tools import cargo


def targets(ctx: ReleaseContext) -> list[str]:
    return ctx.targets or ctx.config.build.targets or [cargo.host_triple()]


def jobs(ctx: ReleaseContext) -> list[BinaryJob]:
    if ctx.memo.binary_jobs is not None:
        return list(ctx.memo.binary_jobs)
    assert ctx.layout.cargo is not None
    detected = cargo.binaries(cargo.metadata(ctx.layout.cargo.parent, no_deps=True))
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
        files = tuple(include if include is not None else build.include)
        found += [BinaryJob(owners[0], name, target, files) for target in targets(ctx)]
    ctx.memo.binary_jobs = found
    return found


class BinariesStep(Step):
    name = "binaries"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if ctx.layout.cargo is None:
            return Skip("no Cargo workspace")
        if not cargo.available():
            return APPLIES  # a workspace without cargo: check says so
        try:
            return skip_unless(jobs(ctx), "the Cargo workspace has no binary")
        except ReleaseError:
            return APPLIES  # a misconfigured binary: check says so

    def describe(self, ctx: ReleaseContext) -> str:
        try:
            names = [job.archive_name(ctx.tag) for job in jobs(ctx)]
        except ReleaseError:
            names = []
        return "build and pack " + (", ".join(names) or "the binaries")

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        if not cargo.available():
            return [Problem(self.name, "cargo is not installed", hint="install Rust with rustup")]
        try:
            planned = jobs(ctx)
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        problems = []
        zig = ctx.config.build.zigbuild
        installed = cargo.installed_targets()
        for target in sorted({job.target for job in planned}):
            if zig and not cargo.zigbuild_available():
                problems.append(
                    Problem(
                        self.name,
                        "cargo-zigbuild is not installed",
                        hint="pip install ziglang cargo-zigbuild",
                    )
                )
                break
            if target not in installed:
                problems.append(
                    Problem(
                        self.name,
                        f"the Rust target {target} is not installed",
                        hint=f"rustup target add {target}"
                        + ("" if zig else " (and a linker for it, or set [build] zigbuild = true)"),
                    )
                )
        root = ctx.layout.cargo.parent if ctx.layout.cargo else ctx.root
        locked = crates_preflight.lock_problem(self.name, root, ctx.relpath(root))
        problems += [locked] if locked is not None else []
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
            artifact = recorded.get(job.archive_name(ctx.tag))
            path = ctx.dist / job.archive_name(ctx.tag)
            if artifact is None or not path.is_file() or sha256_file(path) != artifact.sha256:
                return False
        return True

    def run(self, ctx: ReleaseContext) -> None:
        assert ctx.layout.cargo is not None
        root = ctx.layout.cargo.parent
        mtime = ctx.git.commit_time()
        target_dir = root / "target"
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
            entries = [(exe.name, exe)] + [(Path(f).name, root / f) for f in job.include]
            top = job.archive_name(ctx.tag).removesuffix(".tar.gz").removesuffix(".zip")
            path = archive.write(ctx.dist / job.archive_name(ctx.tag), entries, top, mtime)
            manifest.add(
                Artifact.of(ctx.dist, path, "binary-archive", target=job.target, name=job.binary)
            )

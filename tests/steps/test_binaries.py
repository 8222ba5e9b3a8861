"""Binaries built by the real cargo from the example workspace, packed reproducibly."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.artifacts.binaries import BinariesStep
from release.tools import cargo

from ..conftest import git
from ..e2e.conftest import ROOT, replay


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("binaries") / "demo"
    replay(
        ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", project
    )
    git(project, "tag", "-a", "-m", "v1.2.0", "v1.2.0")
    return project


def context(project: Path, **build: object) -> ReleaseContext:
    ctx = plan_tagged(project)
    for key, value in build.items():
        setattr(ctx.config.build, key, value)
    return ctx


def test_two_builds_of_one_commit_are_byte_identical(tagged: Path) -> None:
    step = BinariesStep()
    first = context(tagged)
    assert step.applies(first) and step.check(first) == []
    step.run(first)
    name = f"demo-v1.2.0-{cargo.host_triple()}.tar.gz"
    archive = tagged / "dist" / name
    one = archive.read_bytes()
    assert step.done(first)
    shutil.rmtree(tagged / "dist")
    subprocess.run(["cargo", "clean", "--release"], cwd=tagged, check=True, capture_output=True)
    second = context(tagged)
    assert not step.done(second)
    step.run(second)
    assert archive.read_bytes() == one
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tagged / "unpacked", filter="data")
    top = name.removesuffix(".tar.gz")
    assert sorted(names) == [top, f"{top}/LICENSE", f"{top}/README.md", f"{top}/demo"]
    ran = subprocess.run(
        [str(tagged / "unpacked" / top / "demo"), "you"], capture_output=True, text=True, check=True
    )
    assert ran.stdout == "<hello, you>\n"
    [artifact] = second.manifest().of_kind("binary-archive")
    assert (artifact.target, artifact.name, artifact.path) == (cargo.host_triple(), "demo", name)


def test_a_target_that_is_not_installed(tagged: Path) -> None:
    missing = next(
        t
        for t in ("riscv64gc-unknown-linux-gnu", "sparc64-unknown-linux-gnu")
        if t not in cargo.installed_targets()
    )
    ctx = context(tagged)
    ctx.targets = [missing]
    problems = BinariesStep().check(ctx)
    assert [p.message for p in problems] == [f"the Rust target {missing} is not installed"]
    assert f"rustup target add {missing}" in (problems[0].hint or "")


def test_a_configured_binary_that_does_not_exist(tagged: Path) -> None:
    from release.core.settings.config import BinaryConfig

    ctx = context(tagged, binaries=[BinaryConfig(name="nope")])
    [problem] = BinariesStep().check(ctx)
    assert problem.message == "the workspace has no binary 'nope'"


def test_a_missing_file_to_pack(tagged: Path) -> None:
    ctx = context(tagged, include=["README.md", "NOTICE"])
    [problem] = BinariesStep().check(ctx)
    assert "NOTICE, to be packed beside the binaries, does not exist" in problem.message


def test_zigbuild_without_cargo_zigbuild(tagged: Path) -> None:
    from release.tools.run import which

    assert which("cargo-zigbuild") is None  # not a dependency: cross builds are opt-in
    ctx = context(tagged, zigbuild=True)
    problems = BinariesStep().check(ctx)
    assert [p.message for p in problems] == ["cargo-zigbuild is not installed"]
    assert problems[0].hint == "pip install ziglang cargo-zigbuild"

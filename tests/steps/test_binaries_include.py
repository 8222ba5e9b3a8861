"""Without `[build] include`, the archives take the README and every licence file there is: a
dual-licensed workspace (LICENSE-MIT, LICENSE-APACHE) passes verify; none at all is a problem."""

from __future__ import annotations

import subprocess

import pytest

from release.core.plan.planning import plan_tagged
from release.steps.artifacts.binaries import BinariesStep, jobs
from tests.conftest import Repo


@pytest.fixture
def dual_licensed(repo: Repo) -> Repo:
    repo.write("Cargo.toml", '[package]\nname = "tool"\nversion = "1.0.0"\nedition = "2021"\n')
    repo.write("src/main.rs", "fn main() {}\n")
    repo.write("README.md", "# tool\n")
    repo.write("LICENSE-MIT", "MIT\n")
    repo.write("LICENSE-APACHE", "Apache-2.0\n")
    repo.write(".gitignore", "target/\ndist/\n")
    subprocess.run(["cargo", "generate-lockfile", "--offline"], cwd=repo.path, check=True)
    repo.commit("chore(release): v1.0.0")
    repo.tag("v1.0.0")
    return repo


def test_a_dual_licensed_workspace_packs_both_licences(dual_licensed: Repo) -> None:
    ctx = plan_tagged(dual_licensed.path)
    assert {job.include for job in jobs(ctx)} == {("README.md", "LICENSE-APACHE", "LICENSE-MIT")}
    assert BinariesStep().check(ctx) == []


def test_no_licence_file_is_a_problem(dual_licensed: Repo) -> None:
    for name in ("LICENSE-MIT", "LICENSE-APACHE"):
        (dual_licensed.path / name).unlink()
    dual_licensed.git("commit", "-qam", "chore: drop the licences")
    dual_licensed.git("tag", "-f", "-a", "-m", "v1.0.0", "v1.0.0")
    ctx = plan_tagged(dual_licensed.path)
    [problem] = BinariesStep().check(ctx)
    assert problem.message.startswith("no licence file") and "[build] include" in (
        problem.hint or ""
    )

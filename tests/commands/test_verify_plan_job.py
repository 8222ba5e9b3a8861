"""release.yml's plan job on Ubuntu, for a project whose [build] targets include other
systems': the command the written workflow runs passes on this Linux machine (each target's
toolchain is its build leg's, on a runner of its system), and a real problem still stops it.
The demo workspace (examples/polyglot-demo), tagged as release.yml finds it; nothing is built."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from release.commands.init_workflow import ACTION_REPOSITORY, workflow
from release.tools import cargo

from ..conftest import git, run_release
from ..e2e.conftest import ROOT, replay
from ..e2e.test_split import github_outputs
from ..e2e.workflow_steps import plan_command, run_step

LINUX = "x86_64-unknown-linux-gnu"
WINDOWS = "x86_64-pc-windows-msvc"


def foreign_mac_target() -> str:
    """A macOS target this machine has no standard library for: the class of target a
    Linux plan runner cannot check."""
    installed = cargo.installed_targets()
    return next(t for t in ("aarch64-apple-darwin", "x86_64-apple-darwin") if t not in installed)


def config(targets: list[str], extra: str = "") -> str:
    return f"[build]\ntargets = {json.dumps(targets)}\n{extra}"


def release_tagged(project: Path, files: dict[str, str], tag: str = "v1.2.0") -> None:
    """Commit `files` and tag the commit, as a cut in tag-trigger mode leaves it."""
    for name, text in files.items():
        (project / name).write_text(text)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "chore(release): v1.2.0")
    git(project, "tag", "-f", "-a", "-m", tag, tag)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("plan-job") / "demo"
    replay(
        ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", project
    )
    targets = [LINUX, foreign_mac_target(), WINDOWS]
    release_tagged(project, {"release-toolkit.toml": config(targets)})
    return project


@pytest.fixture
def copy(demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo, tmp_path / "demo", symlinks=True))


def jobs() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(workflow("0.1.0"))
    return data["jobs"]  # type: ignore[no-any-return]


def toolkit_command(job: dict[str, Any]) -> str:
    uses = f"{ACTION_REPOSITORY}@v0.1.0"
    [command] = [s["with"]["command"] for s in job["steps"] if s.get("uses") == uses]
    return str(command)


def plan_job(project: Path, *drop: str) -> tuple[int, dict[str, Any], str]:
    """The plan job's toolkit command as release.yml writes it (less the words in `drop`)."""
    args = [a for a in shlex.split(plan_command(workflow("0.1.0"))) if a not in drop]
    done = run_release(project, *args)
    return done.code, json.loads(done.out), done.err


def test_the_plan_passes_on_linux_and_each_target_builds_on_its_own_system(demo: Path) -> None:
    mac = foreign_mac_target()
    code, plan, said = plan_job(demo)
    assert code == 0, said
    assert plan["ok"] and plan["tag"] == "v1.2.0"
    [binaries] = [s for s in plan["steps"] if s["name"] == "binaries"]
    assert binaries["applies"] and binaries["problems"] == []
    assert mac in binaries["action"] and WINDOWS in binaries["action"]  # planned, not dropped
    legs = {leg["target"]: leg for leg in plan["matrix"]["include"]}
    assert set(legs) == {LINUX, mac, WINDOWS}
    assert legs[mac]["runner"].startswith("macos-")
    assert legs[WINDOWS]["runner"].startswith("windows-")
    assert legs[LINUX]["runner"].startswith("ubuntu-")
    assert f"--target {mac}" in legs[mac]["args"]
    # The plan says where the toolchain of each target is checked instead.
    assert f"{mac} on {legs[mac]['runner']}" in said
    # The build job runs each leg on the leg's runner; `release build --target` checks there.
    build = jobs()["build"]
    assert build["runs-on"] == "${{ matrix.runner }}"
    assert build["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert toolkit_command(build) == "build ${{ matrix.args }}"
    # The runner the plan job itself runs on is Ubuntu, like this machine; its step, run as
    # the runner runs it, hands the build job that matrix.
    assert jobs()["plan"]["runs-on"].startswith("ubuntu-")
    outputs = demo.parent / "github-output"
    run_step("plan", "Plan (version, tag, build matrix)", demo, outputs, text=workflow("0.1.0"))
    assert json.loads(github_outputs(outputs)["matrix"]) == plan["matrix"]
    assert github_outputs(outputs)["dist"] == "dist"  # the attest job reads SHA256SUMS there


def test_without_the_runners_every_target_is_checked_here(demo: Path) -> None:
    """`release verify` on a laptop (whose cut would build every target there) still says
    what this machine lacks; so does the build leg, asked for a target it cannot build."""
    mac = foreign_mac_target()
    code, plan, _ = plan_job(demo, "--targets-on-runners")
    assert code == 3 and not plan["ok"]
    messages = [p["message"] for p in plan["problems"] if p["severity"] == "error"]
    assert f"the Rust target {mac} is not installed" in messages
    leg = run_release(demo, "build", "--target", mac, "--no-python", "--only", "binaries")
    assert leg.code != 0
    assert f"the Rust target {mac} is not installed" in leg.out + leg.err
    assert not (demo / "dist").exists()  # stopped before building anything


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("misspelt target", "'aarch64-apple-darwn' is not a Rust target"),
        ("binary the workspace lacks", "the workspace has no binary 'nope'"),
        ("manifest that is not TOML", "Cargo.toml is not valid TOML"),
        ("file to pack that is missing", "NOTICE.txt, to be packed beside the binaries"),
    ],
)
def test_a_real_problem_still_stops_the_plan(copy: Path, fault: str, expected: str) -> None:
    targets = [LINUX, foreign_mac_target()]
    files = {
        "misspelt target": {"release-toolkit.toml": config([*targets, "aarch64-apple-darwn"])},
        "binary the workspace lacks": {
            "release-toolkit.toml": config(targets, '[[build.binaries]]\nname = "nope"\n')
        },
        "manifest that is not TOML": {
            "Cargo.toml": (copy / "Cargo.toml").read_text() + "members = [\n"
        },
        "file to pack that is missing": {
            "release-toolkit.toml": config(targets, 'include = ["LICENSE", "NOTICE.txt"]\n')
        },
    }[fault]
    release_tagged(copy, files)
    args = shlex.split(toolkit_command(jobs()["plan"]))
    done = run_release(copy, *args)
    assert done.code in (2, 3), done.out + done.err  # bad input, or problems found
    assert expected in done.out + done.err
    if fault == "misspelt target":
        [problem] = [p for p in json.loads(done.out)["problems"] if expected in p["message"]]
        assert problem["where"].endswith("release-toolkit.toml:2")


def test_cross_builds_tools_are_the_build_legs_too(copy: Path) -> None:
    """[build] zigbuild = true: cargo-zigbuild is wanted where a target is built, on its
    runner, not on the plan's."""
    assert cargo.zigbuild_available() is False  # not a dependency: cross builds are opt-in
    release_tagged(copy, {"release-toolkit.toml": config([LINUX], "zigbuild = true\n")})
    code, plan, said = plan_job(copy)
    assert code == 0 and plan["ok"], said
    leg = run_release(copy, "build", "--target", LINUX, "--no-python", "--only", "binaries")
    assert leg.code != 0 and "cargo-zigbuild is not installed" in leg.out + leg.err


def test_the_plan_tells_later_jobs_where_the_artifacts_are(copy: Path) -> None:
    """A project's own `[build] dist`: the attest job reads SHA256SUMS and artifacts.json
    where the plan job says, not in a dist/ it assumes."""
    release_tagged(copy, {"release-toolkit.toml": config([LINUX], 'dist = "out/release"\n')})
    outputs = copy.parent / "github-output"
    run_step("plan", "Plan (version, tag, build matrix)", copy, outputs, text=workflow("0.1.0"))
    found = github_outputs(outputs)
    assert found["dist"] == "out/release"
    assert {leg["dist"] for leg in json.loads(found["matrix"])["include"]} == {"out/release"}

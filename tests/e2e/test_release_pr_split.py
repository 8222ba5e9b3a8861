"""The release pull request's workflow `release init --pr` writes, with independent versions,
its jobs' own steps run on one machine: merged, the plan job's `release verify` gives a build
leg per released package, each "runner" (a clone of the merged commit) builds its package
(`release build --package NAME`) before any tag exists, and the release job's `release cut
--yes --artifacts DIR` tags the merged commit and publishes those very files: nothing built
twice, each file uploaded once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from release.commands.init_workflow import workflow
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer

from ..conftest import Repo, git, run_release
from .pr_packages import BRANCH, PYPROJECT, write_package
from .test_split import github_outputs
from .workflow_steps import run_step

TEMPLATE = workflow("0.0.0", pull_request=True)


def _merged_release_pull_request(
    repo: Repo, tmp_path: Path, github_api: GithubApi, pypi_server: PypiServer
) -> tuple[Path, dict[str, str]]:
    github_api.add_repo("acme", "split")
    write_package(repo, "alpha", "alpha-split", "0.1.0")
    write_package(repo, "beta", "beta-split", "1.0.0")
    repo.write(
        "release-toolkit.toml",
        '[version]\nmode = "independent"\n\n[build]\nsbom = false\n\n'
        f'[pypi]\nrepository_url = "{pypi_server.url}"\nindex_url = "{pypi_server.simple_url}"\n'
        f'\n[github]\nrepository = "acme/split"\napi_url = "{github_api.url}"\n'
        "write_interval = 0\n",
    )
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore: start", file="notes.txt")
    repo.tag("alpha-split-v0.1.0")
    repo.tag("beta-split-v1.0.0")
    remote = repo.add_remote(tmp_path)
    env = {
        "GITHUB_TOKEN": github_api.token,
        "TWINE_USERNAME": "uploader",
        "TWINE_PASSWORD": "twine-password-of-the-split-test",
    }
    repo.commit("feat: alpha greets", file="alpha/src/notes.txt")
    repo.commit("fix: beta counts", file="beta/src/notes.txt")
    repo.git("push", "-q", "origin", "main")
    opened = run_release(repo.path, "pr", "--json", env=env)
    assert opened.code == 0, opened.err
    repo.git("fetch", "-q", "origin", BRANCH)
    repo.git("merge", "-q", "--no-ff", "FETCH_HEAD", "-m", f"Merge pull request #1 from {BRANCH}")
    repo.git("push", "-q", "origin", "main")
    return remote, env


def test_the_merged_train_is_built_per_package_then_released_once(
    repo: Repo, tmp_path: Path, github_api: GithubApi, pypi_server: PypiServer
) -> None:
    remote, env = _merged_release_pull_request(repo, tmp_path, github_api, pypi_server)
    merged = repo.git("rev-parse", "HEAD")

    outputs = tmp_path / "plan-outputs"
    outputs.touch()
    run_step(
        "plan",
        "Plan (what the merge releases, and its build legs)",
        repo.path,
        outputs,
        text=TEMPLATE,
    )
    legs = json.loads(github_outputs(outputs)["matrix"])["include"]
    assert {(leg["package"], leg["args"], leg["dist"]) for leg in legs} == {
        ("alpha-split", "--package alpha-split", "dist/alpha-split"),
        ("beta-split", "--package beta-split", "dist/beta-split"),
    }

    # Each build job: a checkout of the merged commit, no tag yet; its dist/ uploaded, and
    # downloaded by the release job outside its checkout, a folder per upload.
    downloads = tmp_path / "runner-temp" / "artifacts"
    for leg in legs:
        runner = tmp_path / leg["artifact"]
        git(tmp_path, "clone", "-q", str(remote), str(runner))
        values = {"matrix.args": leg["args"]}
        run_step(
            "build",
            "Build, checksum and sign",
            runner,
            tmp_path / "out",
            text=TEMPLATE,
            values=values,
        )
        assert git(runner, "tag", "--points-at", "HEAD") == ""  # the build tags nothing
        shutil.copytree(runner / leg["dist"], downloads / leg["artifact"])
    built = {p.name for p in downloads.glob("*/*.whl")}
    assert built == {"alpha_split-0.2.0-py3-none-any.whl", "beta_split-1.0.1-py3-none-any.whl"}

    unknown = run_release(repo.path, "build", "--package", "gamma")
    assert unknown.code == 2 and "no package 'gamma'" in unknown.err

    # Files built from another commit are refused before anything is tagged or published.
    stale = tmp_path / "stale" / "dist-alpha"
    shutil.copytree(downloads / legs[0]["artifact"], stale)
    manifest = json.loads((stale / "artifacts.json").read_text())
    (stale / "artifacts.json").write_text(json.dumps({**manifest, "commit": "0" * 40}))
    refused = run_release(repo.path, "cut", "--yes", "--artifacts", str(stale.parent), env=env)
    assert refused.code == 2 and "was built from 000000000000" in refused.err
    assert repo.git("tag", "--points-at", "HEAD") == "" and _ours(pypi_server) == []
    other = tmp_path / "other" / "dist-gamma"  # another release's files
    shutil.copytree(downloads / legs[0]["artifact"], other)
    (other / "artifacts.json").write_text(json.dumps({**manifest, "tag": "gamma-v9.0.0"}))
    refused = run_release(repo.path, "cut", "--yes", "--artifacts", str(other), env=env)
    assert refused.code == 2 and "holds the artifacts of gamma-v9.0.0" in refused.err
    assert repo.git("tag", "--points-at", "HEAD") == ""

    # The release job: the runners' artifacts, then the cut of every package of the merge.
    run_step(
        "release",
        "Release the merged commit (tag, publish the runners' files, push the tags)",
        repo.path,
        tmp_path / "out",
        text=TEMPLATE,
        values={"runner.temp": str(tmp_path / "runner-temp")},
        env=env,
    )
    [journal] = (repo.path / ".git" / "release-toolkit" / "journal").glob("*.jsonl")
    events = [json.loads(line) for line in journal.read_text().splitlines()]
    wheels = {e["step"]: e["event"] for e in events if e["step"].endswith("/wheels")}
    assert wheels == {"alpha-split/wheels": "already-done", "beta-split/wheels": "already-done"}
    assert repo.git("rev-parse", "HEAD") == merged  # tagged, no second commit
    for tag in ("alpha-split-v0.2.0", "beta-split-v1.0.1"):
        assert git(remote, "rev-parse", f"refs/tags/{tag}^{{commit}}") == merged
    assert _ours(pypi_server) == sorted(
        [*built, "alpha_split-0.2.0.tar.gz", "beta_split-1.0.1.tar.gz"]
    )
    for built_there in downloads.glob("*/*.whl"):  # the runners' very files were published
        assert (pypi_server.packages / built_there.name).read_bytes() == built_there.read_bytes()


def _ours(pypi: PypiServer) -> list[str]:
    return [f for f in pypi.files() if f.startswith(("alpha_split", "beta_split"))]


def test_lockstep_the_prepared_release_is_built_untagged_then_cut_with_those_files(
    repo: Repo, tmp_path: Path, pypi_server: PypiServer
) -> None:
    """The same workflow in lockstep: a merged release pull request's commit (the manifest
    and the changelog already say 1.1.0; no tag yet) is built by the build job and tagged
    and published by the release job with the runner's files; killed, resumed."""
    repo.write("pyproject.toml", PYPROJECT.format(name="solo-split", version="1.0.0"))
    repo.write("src/solo_split/__init__.py", "")
    repo.write(
        "release-toolkit.toml",
        f'[build]\nsbom = false\n\n[pypi]\nrepository_url = "{pypi_server.url}"\n'
        f'index_url = "{pypi_server.simple_url}"\n',
    )
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore: start")
    repo.tag("v1.0.0")
    repo.commit("feat: solo greets", file="src/notes.txt")
    remote = repo.add_remote(tmp_path)
    # What the merged release pull request left: the bump and the changelog section.
    repo.write("pyproject.toml", PYPROJECT.format(name="solo-split", version="1.1.0"))
    repo.write(
        "CHANGELOG.md", "# Changelog\n\n## [1.1.0] - 2026-01-02\n\n### Features\n\n- Greets\n"
    )
    merged = repo.commit("chore(release): v1.1.0", file="notes.txt")
    repo.git("push", "-q", "origin", "main")

    outputs = tmp_path / "plan-outputs"
    outputs.touch()
    plan = "Plan (what the merge releases, and its build legs)"
    run_step("plan", plan, repo.path, outputs, text=TEMPLATE)
    [leg] = json.loads(github_outputs(outputs)["matrix"])["include"]
    assert (leg["args"], leg["dist"]) == ("", "dist")
    runner = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(remote), str(runner))
    build = "Build, checksum and sign"
    run_step("build", build, runner, tmp_path / "out", text=TEMPLATE, values={"matrix.args": ""})
    downloads = tmp_path / "runner-temp" / "artifacts"
    shutil.copytree(runner / leg["dist"], downloads / leg["artifact"])
    [wheel] = downloads.glob("*/*.whl")
    assert wheel.name == "solo_split-1.1.0-py3-none-any.whl"

    env = {"TWINE_USERNAME": "uploader", "TWINE_PASSWORD": "twine-password-of-the-split-test"}
    release = "Release the merged commit (tag, publish the runners' files, push the tags)"
    temp = {"runner.temp": str(tmp_path / "runner-temp")}
    # The job dies mid-release (SIGKILL: -9, bash runs the action's last command in place);
    # in that checkout the journal says what is left, and `release resume` finishes it.
    killed = {**env, "RELEASE_TEST_KILL_AT": "after:pypi"}
    out = tmp_path / "out"
    run_step("release", release, repo.path, out, text=TEMPLATE, values=temp, env=killed, code=-9)
    stopped = json.loads(run_release(repo.path, "status", "--json").out)
    assert "v1.1.0" in json.dumps(stopped) and "pypi" in json.dumps(stopped)
    assert git(remote, "tag", "-l") == "v1.0.0"  # nothing pushed yet
    resumed = run_release(repo.path, "resume", "--yes", env=env)
    assert resumed.code == 0, resumed.err
    assert repo.git("rev-parse", "HEAD") == merged  # tagged, no second commit
    assert git(remote, "rev-parse", "refs/tags/v1.1.0^{commit}") == merged
    assert (pypi_server.packages / wheel.name).read_bytes() == wheel.read_bytes()
    [journal] = (repo.path / ".git" / "release-toolkit" / "journal").glob("*.jsonl")
    events = {(e["step"], e["event"]) for e in map(json.loads, journal.read_text().splitlines())}
    assert ("wheels", "already-done") in events and ("wheels", "start") not in events

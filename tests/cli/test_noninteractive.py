"""Without a terminal (CI, a pipe), `release cut` and `release resume` go on only with --yes:
otherwise they stop with exit 2 before changing anything, saying so."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Repo, run_release


def python_project(repo: Repo, tmp_path: Path) -> Repo:
    repo.write(
        "pyproject.toml",
        '[project]\nname = "demo"\nversion = "1.1.0"\n\n[tool.release-toolkit.build]\n'
        "python = false\n",
    )
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore(release): v1.1.0")
    repo.tag("v1.1.0")
    repo.commit("feat: a thing")
    repo.add_remote(tmp_path)
    return repo


def test_cut_and_resume_without_a_terminal_need_yes(repo: Repo, tmp_path: Path) -> None:
    project = python_project(repo, tmp_path)
    before = project.snapshot()
    refused = run_release(project.path, "cut")  # stdin is /dev/null: no terminal
    assert refused.code == 2, refused.err
    assert "no terminal to ask 'Release v1.2.0?'" in refused.err and "--yes" in refused.err
    assert project.snapshot() == before
    assert project.git("ls-remote", "--tags", "origin").count("v1.2.0") == 0

    killed = run_release(project.path, "cut", "--yes", env={"RELEASE_TEST_KILL_AT": "after:bump"})
    assert killed.code == -9, killed.err
    interrupted = project.snapshot()
    refused = run_release(project.path, "resume")
    assert refused.code == 2 and "no terminal to ask whether to resume" in refused.err
    assert project.snapshot() == interrupted
    status = json.loads(run_release(project.path, "status", "--json").out)
    assert status["releases"][-1]["state"] == "interrupted"
    resumed = run_release(project.path, "resume", "--yes")
    assert resumed.code == 0, resumed.err
    assert project.git("rev-parse", "v1.2.0^{commit}") == project.git("rev-parse", "HEAD")

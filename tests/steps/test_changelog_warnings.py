"""git-cliff skips a commit when a command of cliff.toml fails on it (here: not installed), and
still succeeds. `release verify` names the command at its cliff.toml line and the skipped
commits; `release changelog` says so and exits 3; once the command is there, all is well."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Repo, run_release

PROGRAM = "spellfix-for-release-test"  # stands for `typos`, which projects run on commits
CLIFF_TOML = f"""\
[changelog]
body = \"\"\"
## [{{{{ version | default(value="unreleased") }}}}]
{{% for commit in commits %}}- {{{{ commit.message }}}}
{{% endfor %}}\"\"\"

[git]
conventional_commits = true
filter_unconventional = true
commit_preprocessors = [
  {{ pattern = '.*', replace_command = '{PROGRAM} --write-changes -' }},
]
commit_parsers = [
  {{ message = "^feat", group = "Features" }},
  {{ message = "^fix", group = "Fixes" }},
]
"""


@pytest.fixture
def project(repo: Repo, tmp_path: Path) -> Repo:
    repo.write(
        "pyproject.toml",
        '[project]\nname = "p"\nversion = "0.1.0"\n\n'
        "[tool.release-toolkit.build]\npython = false\n",
    )
    repo.write("cliff.toml", CLIFF_TOML)
    repo.write("CHANGELOG.md", "# Changelog\n\n## [0.1.0]\n\n- first\n")
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore(release): v0.1.0")
    repo.tag("v0.1.0")
    repo.commit("feat: a flag")
    repo.commit("fix: a crash")
    repo.add_remote(tmp_path)
    return repo


def test_verify_names_the_missing_command_and_the_skipped_commits(project: Repo) -> None:
    verify = run_release(project.path, "verify", "--only", "changelog")
    assert verify.code == 3, verify.err
    line = (
        CLIFF_TOML.splitlines().index(next(x for x in CLIFF_TOML.splitlines() if PROGRAM in x)) + 1
    )
    assert f"cliff.toml:{line}" in verify.err + verify.out
    assert f"{PROGRAM} is not installed" in verify.err + verify.out
    assert "git-cliff skipped 2 commit(s)" in verify.err + verify.out

    changelog = run_release(project.path, "changelog", "--unreleased")
    assert changelog.code == 3
    assert "a flag" not in changelog.out  # what git-cliff left out ...
    assert "git-cliff skipped 2 commit(s)" in changelog.err  # ... is said
    assert "not found" in changelog.err  # and the shell's own words


def test_with_the_command_installed_nothing_is_said(project: Repo, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / PROGRAM).write_text("#!/bin/sh\ncat\n")
    (bin_dir / PROGRAM).chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    verify = run_release(project.path, "verify", "--only", "changelog", env=env)
    assert verify.code == 0, verify.err + verify.out
    changelog = run_release(project.path, "changelog", "--unreleased", env=env)
    assert changelog.code == 0 and "git-cliff" not in changelog.err
    assert "- a flag" in changelog.out and "- a crash" in changelog.out

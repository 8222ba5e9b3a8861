"""git-cliff's log at WARN: at its default (INFO) its tracing costs more than its parsing, and
the toolkit reads only its warnings and errors. A level the user chose is kept."""

from __future__ import annotations

import pytest

from release.tools import cliff

from ..conftest import Repo


def _stderr(repo: Repo) -> str:
    args = [cliff.binary(), "--config", str(cliff.default_config())]
    return cliff._run(args, cwd=repo.path).stderr


def test_git_cliff_logs_only_warnings_unless_the_user_chose_a_level(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("feat: first")
    monkeypatch.delenv("RUST_LOG", raising=False)
    assert "Using configuration from" not in _stderr(repo)  # INFO is off
    monkeypatch.setenv("RUST_LOG", "info")
    assert "Using configuration from" in _stderr(repo)  # the user's level is kept


def test_its_warnings_still_reach_the_toolkit(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A skipped commit is a WARN line: still there at the quieter level."""
    monkeypatch.delenv("RUST_LOG", raising=False)
    repo.write(
        "cliff.toml",
        '[changelog]\nbody = "{{ commits | length }}"\n[git]\nconventional_commits = true\n'
        'commit_preprocessors = [{ pattern = ".*", replace_command = "exit 3" }]\n',
    )
    repo.commit("feat: first")
    args = [cliff.binary(), "--config", str(repo.path / "cliff.toml")]
    stderr = cliff._run(args, cwd=repo.path, check=False).stderr
    assert "WARN" in stderr and "skipped" in stderr, stderr

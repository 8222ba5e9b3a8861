"""The GitHub Actions niceties, through the real command with the runner's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_app import project  # noqa: F401 - the fixture
from tests.conftest import Repo, run_release

SECRET = "ghp_s3cr3tValueThatMustNeverShow"


def actions_env(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_TOKEN": SECRET,
    }


def outputs(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    found = {}
    for i, line in enumerate(lines):
        if "<<ghadelimiter_" in line:
            name, _, delimiter = line.partition("<<")
            assert lines[i + 2] == delimiter
            found[name] = lines[i + 1]
    return found


def test_cut_in_actions(project: Repo, tmp_path: Path) -> None:  # noqa: F811
    result = run_release(project.path, "cut", "--yes", env=actions_env(tmp_path))
    assert result.code == 0, result.err
    assert f"::add-mask::{SECRET}" in result.err
    assert "::group::release: changelog" in result.err and "::endgroup::" in result.err
    assert outputs(tmp_path / "output") == {
        "version": "1.2.0",
        "tag": "v1.2.0",
        "released": "true",
        "dist": "dist",
    }
    summary = (tmp_path / "summary.md").read_text()
    assert "## Release v1.2.0" in summary and "| push | ran |" in summary


def test_nothing_to_release_in_actions(repo: Repo, tmp_path: Path) -> None:
    repo.commit("feat: a")
    repo.tag("v1.0.0")
    repo.commit("docs: b")
    result = run_release(repo.path, "verify", env=actions_env(tmp_path))
    assert result.code == 0
    assert outputs(tmp_path / "output")["released"] == "false"


def test_config_error_is_an_annotation(project: Repo, tmp_path: Path) -> None:  # noqa: F811
    project.write("release.toml", '[git]\nremot = "x"\n')
    result = run_release(project.path, "verify", env=actions_env(tmp_path))
    assert result.code == 2
    assert f"::error file={project.path}/release.toml,line=2::unknown key 'git.remot'" in result.err


@pytest.mark.parametrize("signing", [True, False], ids=["fails-at-sign", "fails-at-push"])
def test_secrets_never_show_even_in_failures(
    project: Repo,  # noqa: F811
    tmp_path: Path,
    signing: bool,
) -> None:
    """A failing cut with every known secret set: no value in output, journal or the tree."""
    from release.base.secrets import KNOWN

    values = {name: f"{name.lower()}-V4lue-0123456789" for name in KNOWN}
    if not signing:
        with (project.path / "pyproject.toml").open("a") as handle:
            handle.write("\n[tool.release.sign]\nenabled = false\n")
        project.commit("chore: no signing", file="cfg.txt")
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    # The remote echoes the environment's secrets back: they must still be hidden.
    hook.write_text('#!/bin/sh\necho "denied for $GITHUB_TOKEN" >&2\nexit 1\n')
    hook.chmod(0o755)
    result = run_release(project.path, "cut", "--yes", env=values)
    assert result.code == (2 if signing else 1), result.err
    journal_dir = project.path / ".git" / "release-toolkit"
    texts = [result.out, result.err]
    texts += [p.read_text() for p in journal_dir.rglob("*") if p.is_file()]
    texts += [
        p.read_text(errors="replace")
        for p in project.path.rglob("*")
        if p.is_file() and ".git" not in p.parts
    ]
    for value in values.values():
        assert all(value not in text for text in texts), value
    if signing:
        assert "[sign] GPG_PRIVATE_KEY holds no private key" in result.err
    else:
        assert "denied for ***" in result.err

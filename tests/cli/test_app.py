"""The `release` command end to end: real git, a bare remote, the real git-cliff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Repo, git, run_release

OLD_CHANGELOG = """# Changelog

All notable changes to this project are documented in this file.

## [1.1.0] - 2026-01-02

### Features
- Something   with  odd   spacing that must survive

## [1.0.0] - 2025-12-01

- First release\r
"""


@pytest.fixture
def project(repo: Repo, tmp_path: Path) -> Repo:
    """A released Python project at v1.1.0 with a changelog, two new features and a fix."""
    repo.write(
        "pyproject.toml",
        '[project]\nname = "demo"\nversion = "1.1.0"  # the version\n\n'
        # The prepare steps are under test here; wheels are built in tests/steps.
        "[tool.release.build]\npython = false\n",
    )
    repo.write("src/demo/__init__.py", '"""Demo."""\n\n__version__ = "1.1.0"\n')
    repo.write("CHANGELOG.md", OLD_CHANGELOG)
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore(release): v1.1.0")
    repo.tag("v1.1.0")
    repo.commit("feat(api): add the thing")
    repo.commit("fix: stop crashing")
    repo.commit("docs: explain")
    repo.add_remote(tmp_path)
    return repo


def test_next_prints_the_version(project: Repo) -> None:
    result = run_release(project.path, "next")
    assert (result.code, result.out) == (0, "1.2.0\n")
    data = json.loads(run_release(project.path, "next", "--json").out)
    assert data["version"] == "1.2.0" and data["previous_tag"] == "v1.1.0"
    assert data["groups"] == {"docs": 1, "feat": 1, "fix": 1}
    assert (data["schema"], data["command"], data["ok"]) == (1, "next", True)  # the envelope
    assert run_release(project.path, "next", "--pre", "rc").out == "1.2.0-rc.1\n"


def test_next_with_nothing_to_release(repo: Repo) -> None:
    repo.commit("feat: a")
    repo.tag("v1.0.0")
    repo.commit("docs: b")
    result = run_release(repo.path, "next")
    assert result.code == 0 and result.out == ""
    assert result.err.startswith("no release:") and result.err.count("\n") == 1


def test_verify_changes_nothing_and_reports_the_plan(project: Repo) -> None:
    before = project.snapshot()
    result = run_release(project.path, "verify", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["version"] == "1.2.0" and data["ok"] is True
    names = [s["name"] for s in data["steps"]]
    assert names == [
        "changelog",
        "bump",
        "commit-tag",
        "binaries",
        "wheels",
        "sbom",
        "checksums",
        "sign",
        "crates",
        "pypi",
        "npm",
        "docker",
        "github",
        "push",
        "github-publish",
        "homebrew",
        "slack",
        "email",
        "discord",
        "teams",
        "mastodon",
    ]
    applies = {s["name"]: s["applies"] for s in data["steps"]}
    not_here = ("binaries", "wheels", "sign", "crates", "docker", "github", "homebrew", "slack")
    assert not any(applies[s] for s in ("email", "discord", "teams", "mastodon"))
    assert not any(applies[s] for s in not_here)
    # A skipped step says why, in the plan too.
    actions = {s["name"]: s["action"] for s in data["steps"]}
    assert actions["binaries"] == "no Cargo workspace"
    assert actions["docker"] == "no [docker] image" and actions["homebrew"] == "no [homebrew] tap"
    target = "x86_64-unknown-linux-gnu"
    leg = {"runner": "ubuntu-24.04", "target": target, "args": "", "dist": "dist"}
    assert data["matrix"] == {"include": [{**leg, "artifact": f"dist-{target}"}]}
    bump = data["steps"][1]["action"]
    assert "pyproject.toml" in bump and "src/demo/__init__.py" in bump
    assert project.snapshot() == before
    human = run_release(project.path, "verify")
    assert human.code == 0 and "v1.1.0 → v1.2.0" in human.out and "Ready to cut" in human.out


def test_cut_prepares_commits_tags_and_pushes(project: Repo, tmp_path: Path) -> None:
    result = run_release(project.path, "cut", "--yes")
    assert result.code == 0, result.err
    assert result.out == "released v1.2.0\n"
    # The changelog: a new section on top, every older byte unchanged.
    text = (project.path / "CHANGELOG.md").read_bytes().decode()
    head, _, rest = text.partition("## [1.1.0]")
    assert "## [1.1.0]" + rest == OLD_CHANGELOG[OLD_CHANGELOG.index("## [1.1.0]") :]
    assert head.startswith(OLD_CHANGELOG[: OLD_CHANGELOG.index("## [1.1.0]")])
    assert "## [1.2.0]" in head and "Add the thing" in head and "Stop crashing" in head
    assert "explain" not in head.lower() or "Documentation" in head
    # Manifests: only the version strings changed.
    assert 'version = "1.2.0"  # the version' in (project.path / "pyproject.toml").read_text()
    assert '__version__ = "1.2.0"' in (project.path / "src/demo/__init__.py").read_text()
    # Commit, annotated tag, both on the remote, and a clean tree.
    assert project.git("log", "-1", "--format=%s") == "chore(release): v1.2.0"
    assert project.git("cat-file", "-t", "v1.2.0") == "tag"
    remote = project.git("ls-remote", "origin")
    head_oid = project.git("rev-parse", "HEAD")
    assert f"{head_oid}\trefs/heads/main" in remote and "refs/tags/v1.2.0" in remote
    assert project.status() == ""
    # A second cut finds nothing to release.
    again = run_release(project.path, "cut", "--yes")
    assert again.code == 2 and "nothing to release" in again.err


def test_a_second_prerelease_adds_only_its_own_section(project: Repo) -> None:
    assert run_release(project.path, "cut", "--pre", "rc", "--yes").code == 0
    project.commit("fix: after the first rc")
    second = run_release(project.path, "cut", "--pre", "rc", "--yes")
    assert second.code == 0, second.err
    assert project.git("describe", "--tags") == "v1.2.0-rc.2"
    changelog = (project.path / "CHANGELOG.md").read_text()
    assert changelog.count("## [1.2.0-rc.1]") == 1 and changelog.count("Add the thing") == 1
    newest = changelog.split("## [1.2.0-rc.2]", 1)[1].split("## [", 1)[0]
    assert "After the first rc" in newest and "Add the thing" not in newest


def test_cut_of_an_explicit_prerelease_then_the_final(project: Repo) -> None:
    assert run_release(project.path, "cut", "--pre", "rc", "--yes").code == 0
    assert project.git("describe", "--tags") == "v1.2.0-rc.1"
    assert '"1.2.0rc1"' in (project.path / "pyproject.toml").read_text()
    project.commit("fix: after the rc")
    final = run_release(project.path, "cut", "--yes")
    assert final.code == 0, final.err
    changelog = (project.path / "CHANGELOG.md").read_text()
    newest = changelog.split("## [1.2.0]", 1)[1].split("## [", 1)[0]
    assert "Add the thing" in newest and "After the rc" in newest  # the rc's changes merged in


def test_failed_push_restores_the_repository(project: Repo, tmp_path: Path) -> None:
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = project.snapshot()
    result = run_release(project.path, "cut", "--yes")
    assert result.code == 1
    assert "step push failed" in result.err and "the repository is as it was" in result.err
    assert project.snapshot() == before
    journal = project.path / ".git" / "release-toolkit" / "journal" / "v1.2.0.jsonl"
    events = [json.loads(line)["event"] for line in journal.read_text().splitlines()]
    assert events[0] == "start" and events[-1] == "failed"


def test_skip_and_only(project: Repo) -> None:
    bad = run_release(project.path, "verify", "--only", "pubish")
    assert bad.code == 2 and "no step 'pubish'" in bad.err
    result = run_release(project.path, "cut", "--yes", "--skip", "push")
    assert result.code == 0, result.err
    assert "refs/tags/v1.2.0" not in project.git("ls-remote", "origin")


def test_changelog_command(project: Repo, tmp_path: Path) -> None:
    unreleased = run_release(project.path, "changelog", "--unreleased")
    assert unreleased.code == 0 and "Add the thing" in unreleased.out
    assert "[1.1.0]" not in unreleased.out
    out = tmp_path / "FULL.md"
    full = run_release(project.path, "changelog", "--output", str(out))
    assert full.code == 0 and "## [1.1.0]" in out.read_text()
    # The spellings the fast entry (release.cli.entry, no typer) reads write the same text...
    for args in (["-o", str(tmp_path / "o.md")], [f"--output={tmp_path / 'eq.md'}"]):
        assert run_release(project.path, "changelog", *args).code == 0
    assert (tmp_path / "o.md").read_text() == (tmp_path / "eq.md").read_text() == out.read_text()
    assert run_release(project.path, "changelog").out == out.read_text()
    # ...and anything else still reaches typer: usage errors, help.
    wrong = run_release(project.path, "changelog", "--bogus")
    assert wrong.code == 2 and "No such option: --bogus" in wrong.err
    assert "--unreleased" in run_release(project.path, "changelog", "--help").out


def test_missing_git_cliff(
    project: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from release.cli import entry
    from release.tools import cliff

    monkeypatch.setattr(cliff, "which", lambda name, **_: None)
    monkeypatch.chdir(project.path)
    monkeypatch.setattr(sys, "argv", ["release", "next"])
    with pytest.raises(SystemExit) as code:
        entry.main()
    assert code.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: git-cliff is not installed\n  hint: pip install git-cliff")


def test_git_cliff_path_is_not_needed_on_path(project: Repo) -> None:
    """git-cliff sits next to the interpreter in a venv that is not on PATH."""
    result = run_release(project.path, "next", env={"PATH": "/usr/bin:/bin"})
    assert result.out == "1.2.0\n", result.err


def test_own_git_cliff_wins_over_one_on_path(project: Repo, tmp_path: Path) -> None:
    """Another git-cliff first on PATH (say a newer one from Homebrew) is not the one we
    pinned: release uses the copy installed with it."""
    other = tmp_path / "bin" / "git-cliff"
    other.parent.mkdir()
    other.write_text("#!/bin/sh\necho 'git-cliff 9.9.9'\nexit 1\n")
    other.chmod(0o755)
    result = run_release(project.path, "next", env={"PATH": f"{other.parent}:/usr/bin:/bin"})
    assert result.out == "1.2.0\n", result.err


def _detached(p: Repo) -> None:
    p.git("checkout", "-q", "--detach")


def _tag_elsewhere(p: Repo) -> None:
    """v1.2.0 on a commit that is not on main (someone released from a side branch)."""
    p.git("checkout", "-q", "-b", "hotfix", "v1.1.0")
    p.commit("fix: hot", file="hot.txt")
    p.tag("v1.2.0")
    p.git("checkout", "-q", "main")


BAD_STATE = [
    ("dirty tree", lambda p: p.write("notes.txt", "changed\n"), "uncommitted changes"),
    ("untracked file", lambda p: p.write("new.txt", "x\n"), "uncommitted changes: new.txt"),
    ("detached HEAD", _detached, "HEAD is detached"),
    ("wrong branch", lambda p: p.git("checkout", "-q", "-b", "feature"), "on branch 'feature'"),
    ("tag exists locally", lambda p: _tag_elsewhere(p), "tag v1.2.0 already exists"),
    (
        "tag exists on the remote",
        lambda p: (
            _tag_elsewhere(p),
            p.git("push", "-q", "origin", "v1.2.0"),
            p.git("tag", "-d", "v1.2.0"),
        ),
        "already exists on origin",
    ),
    (
        "behind the remote",
        lambda p: (
            p.commit("fix: remote"),
            p.git("push", "-q", "origin", "HEAD:main"),
            p.git("reset", "-q", "--hard", "HEAD~1"),
        ),
        "main is behind origin/main",
    ),
    ("no remote", lambda p: p.git("remote", "remove", "origin"), "no git remote named 'origin'"),
    (
        "manifests disagree",
        lambda p: (
            p.write("src/demo/__init__.py", '__version__ = "1.0.0"\n'),
            p.commit("fix: v", file="y"),
        ),
        "the manifests disagree",
    ),
    (
        "malformed cliff.toml",
        lambda p: (
            p.write("cliff.toml", "[changelog\nbody = 1\n"),
            p.commit("chore: cliff", file="y"),
        ),
        "cliff.toml is not valid TOML",
    ),
    (
        "broken cliff template",
        lambda p: (
            p.write("cliff.toml", '[changelog]\nbody = "{% if %}"\n'),
            p.commit("chore: c", file="y"),
        ),
        "git-cliff could not render",
    ),
]


@pytest.mark.parametrize(("name", "make", "expected"), BAD_STATE, ids=[b[0] for b in BAD_STATE])
def test_bad_state_is_found_by_verify_and_stops_cut(
    project: Repo, tmp_path: Path, name: str, make, expected: str
) -> None:  # type: ignore[no-untyped-def]
    make(project)
    before = project.snapshot()
    remote_before = git(tmp_path, "ls-remote", str(tmp_path / "origin.git"))
    verify = run_release(project.path, "verify")
    assert verify.code == 3, verify.out + verify.err
    assert expected in verify.err
    assert "hint:" in verify.err
    cut = run_release(project.path, "cut", "--yes")
    assert cut.code == 2, cut.out + cut.err
    assert expected in cut.err and "Nothing was changed." in cut.err
    assert project.snapshot() == before
    assert git(tmp_path, "ls-remote", str(tmp_path / "origin.git")) == remote_before


BAD_INPUT = [
    (["cut", "1.2"], "version '1.2' is not valid semver"),
    (["cut", "v1.2.0.0"], "version 'v1.2.0.0' is not valid semver"),
    (["cut", "01.2.3"], "version '01.2.3' is not valid semver"),
    (["cut", "1.2.3-"], "version '1.2.3-' is not valid semver"),
    (["cut", ""], "version '' is not valid semver"),
    (["cut", "1.1.0"], "not greater than the last release 1.1.0"),
    (["cut", "1.0.5"], "not greater than the last release 1.1.0"),
    (["verify", "0.9.0"], "not greater than the last release 1.1.0"),
    (["cut", "--pre", "r.c"], "prerelease label 'r.c' is not valid"),
]


@pytest.mark.parametrize(
    ("args", "expected"), BAD_INPUT, ids=[" ".join(a[0]) or "empty" for a in BAD_INPUT]
)
def test_bad_versions(project: Repo, args: list[str], expected: str) -> None:
    before = project.snapshot()
    result = (
        run_release(project.path, *args, "--yes")
        if args[0] == "cut"
        else run_release(project.path, *args)
    )
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert lines[1].startswith("  hint: ")
    assert project.snapshot() == before


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            '[version]\ntag_fromat = "v{version}"\n',
            "release.toml:2: unknown key 'version.tag_fromat'",
        ),
        ("[git\n", "release.toml:1: release.toml is not valid TOML"),
        ('[version]\nbreaking = "huge"\n', "release.toml:2: invalid value for 'version.breaking'"),
    ],
)
def test_bad_config(project: Repo, config: str, expected: str) -> None:
    project.write("release.toml", config)
    project.commit("chore: config", file="z")
    before = project.snapshot()
    for command in (["next"], ["verify"], ["cut", "--yes"]):
        result = run_release(project.path, *command)
        assert result.code == 2
        assert expected in result.err.splitlines()[0]
    assert project.snapshot() == before


KILL_POINTS = [
    "before:changelog",
    "after:changelog",
    "after:bump",
    "after:commit-tag",
    "before:push",
    "after:push",
]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_cut_resumes_to_one_release(project: Repo, tmp_path: Path, point: str) -> None:
    killed = run_release(project.path, "cut", "--yes", env={"RELEASE_TEST_KILL_AT": point})
    assert killed.code == -9, killed.err
    status = json.loads(run_release(project.path, "status", "--json").out)
    assert status["releases"][-1]["state"] == "interrupted"
    resumed = run_release(project.path, "resume", "--yes")
    assert resumed.code == 0, resumed.err
    # Exactly one release commit, the tag on it, both pushed, one changelog section.
    subjects = project.git("log", "--format=%s").splitlines()
    assert subjects.count("chore(release): v1.2.0") == 1
    assert project.git("rev-parse", "v1.2.0^{commit}") == project.git("rev-parse", "HEAD")
    remote = project.git("ls-remote", "origin")
    assert f"{project.git('rev-parse', 'HEAD')}\trefs/heads/main" in remote
    assert (project.path / "CHANGELOG.md").read_text().count("## [1.2.0]") == 1
    assert project.status() == ""
    assert (
        json.loads(run_release(project.path, "status", "--json").out)["releases"][-1]["state"]
        == "done"
    )
    assert run_release(project.path, "resume", "--yes").code == 2  # nothing left to resume


def test_second_cut_at_once_is_refused(project: Repo) -> None:
    from release.core.engine.journal import ReleaseLock

    with ReleaseLock(project.path / ".git"):  # a cut in another process holds the OS lock
        result = run_release(project.path, "cut", "--yes")
    assert result.code == 2 and "another release is running" in result.err
    # A file left behind proves nothing; only a live holder of the lock does.
    (project.path / ".git" / "release-toolkit" / "lock").write_text("pid 1 on elsewhere\n")
    assert run_release(project.path, "cut", "--yes").code == 0


def test_signed_tag_with_a_configured_key(project: Repo, tmp_path: Path) -> None:
    import os
    import subprocess

    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {"GNUPGHOME": str(home)}
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Release Bot <bot@example.test>",
            "ed25519",
            "sign",
            "1y",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    project.write(
        "release.toml", '[git]\nsigning_key = "bot@example.test"\n[build]\npython = false\n'
    )
    project.commit("chore: sign tags", file="cfg.txt")
    result = run_release(project.path, "cut", "--yes", env=env)
    assert result.code == 0, result.err
    verified = subprocess.run(
        ["git", "tag", "-v", "v1.2.0"],
        cwd=project.path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert verified.returncode == 0 and "Good signature" in verified.stderr
    missing = run_release(project.path, "verify", "2.0.0", env={"GNUPGHOME": str(tmp_path)})
    assert missing.code == 3 and "no usable secret key 'bot@example.test'" in missing.err


def test_tag_trigger_mode_cut_and_resume_only_prepare_and_push(project: Repo) -> None:
    with (project.path / "pyproject.toml").open("a") as handle:
        handle.write('\n[tool.release.git]\nmode = "tag-trigger"\n')
    project.commit("chore: release from the tag's workflow", file="cfg.txt")
    killed = run_release(
        project.path, "cut", "--yes", env={"RELEASE_TEST_KILL_AT": "after:commit-tag"}
    )
    assert killed.code == -9
    resumed = run_release(project.path, "resume", "--yes", "--json")
    assert resumed.code == 0, resumed.err
    ran = {s["name"] for s in json.loads(resumed.out)["steps"]}
    assert ran == {"changelog", "bump", "commit-tag", "push"}  # the workflow builds
    assert "refs/tags/v1.2.0" in project.git("ls-remote", "origin")
    assert not (project.path / "dist").exists()

"""A release that is partly public always finishes (issue 22, "What was seen" 1-5): a resume
that fails after a resume, a dirty work tree, a branch that moved, a version some destination
cannot name, and one failure message per failure. Each ends with every artifact exactly once
and nothing of the user's lost."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from release.steps.crates.auth import token_name

from ..conftest import git, run_release
from .stack import Stack

AGAIN = "Nothing was published"


@pytest.fixture
def lean(stack: Stack) -> Stack:
    """The stack without SBOMs: every destination still, a few seconds less per build."""
    with (stack.project / "release.toml").open("a") as toml:
        toml.write("\n[build]\nsbom = false\n")
    git(stack.project, "commit", "-qam", "chore: no SBOMs")
    git(stack.project, "push", "-q", "origin", "main")
    return stack


def last_status(stack: Stack) -> dict[str, Any]:
    releases: list[dict[str, Any]] = json.loads(run_release(stack.project, "status", "--json").out)[
        "releases"
    ]
    return releases[-1]


def failures(stack: Stack, version: str) -> list[str]:
    """This version's failure messages on Slack, whole (their text starts with the title)."""
    title = f"demo {version}: release failed"
    return [json.dumps(p) for p in stack.slack.payloads if str(p.get("text", "")).startswith(title)]


def reject_pushes(remote: Path) -> Path:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    return hook


def colleague_pushes(stack: Stack, tmp: Path, file: str = "NOTES.md") -> str:
    """Someone else pushes a commit to main."""
    clone = tmp / f"colleague-{file}"
    git(tmp, "clone", "-q", str(stack.remote), str(clone))
    (clone / file).write_text("a colleague's note\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "docs: a colleague's note")
    git(clone, "push", "-q", "origin", "main")
    return git(clone, "rev-parse", "HEAD")


def test_a_failed_resume_keeps_the_release_public_and_resumable(lean: Stack) -> None:
    """1, 2 and 5: killed before its push, the push of the resume fails twice: the release
    stays public and resumable, Slack hears once, a dirty tree is refused and kept."""
    stack = lean
    demo, version = stack.project, "1.2.0"
    killed = run_release(
        demo, "cut", version, "--yes", env={**stack.env, "RELEASE_TEST_KILL_AT": "before:push"}
    )
    assert killed.code == -9, killed.err
    hook = reject_pushes(stack.remote)
    for _ in range(2):
        failed = run_release(demo, "resume", "--yes", env=stack.env)
        assert failed.code == 1, failed.err
        assert f"parts of v{version} are public" in failed.err, failed.err
        assert "as it was" not in failed.err
        status = last_status(stack)
        assert status["state"] == "failed"
        assert {"crates", "pypi", "docker", "github"} <= set(status["out"])
        assert "push" in status["left"]
        assert git(demo, "describe", "--tags", "--exact-match") == f"v{version}"
    assert len(failures(stack, version)) == 1  # one failure, one message
    assert AGAIN not in failures(stack, version)[0]
    said = run_release(demo, "status").out
    assert "public already" in said and "left to do: push" in said, said
    # A line added to README.md before the next resume: refused, and kept.
    readme = demo / "README.md"
    readme.write_text(readme.read_text() + "a line of mine\n")
    hook.unlink()
    refused = run_release(demo, "resume", "--yes", env=stack.env)
    assert refused.code == 2 and "README.md" in refused.err, refused.err
    assert readme.read_text().endswith("a line of mine\n")
    git(demo, "commit", "-qam", "docs: my line")  # HEAD now contains the release commit
    resumed = run_release(demo, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published(version)
    assert readme.read_text().endswith("a line of mine\n")
    assert last_status(stack)["state"] == "done"
    assert len(failures(stack, version)) == 1


def test_a_branch_that_moved_after_going_public_is_merged(lean: Stack, tmp_path: Path) -> None:
    """3: a colleague pushes while the release is public but not pushed: the push merges,
    the tag stays on the release commit, and nothing is asked of the user."""
    stack = lean
    demo, version = stack.project, "1.3.0"
    killed = run_release(
        demo, "cut", version, "--yes", env={**stack.env, "RELEASE_TEST_KILL_AT": "after:github"}
    )
    assert killed.code == -9, killed.err
    theirs = colleague_pushes(stack, tmp_path)
    resumed = run_release(demo, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published(version)
    tagged = git(demo, "rev-parse", f"v{version}^{{commit}}")
    remote_main = git(demo, "ls-remote", str(stack.remote), "refs/heads/main").split()[0]
    for commit in (tagged, theirs):
        git(demo, "merge-base", "--is-ancestor", commit, remote_main)
    assert git(demo, "show", "-s", "--format=%s", tagged) == f"chore(release): v{version}"


def test_a_branch_that_moved_before_going_public_stops_with_nothing_out(
    lean: Stack, tmp_path: Path
) -> None:
    """3: the colleague pushes before anything is public: the resume stops before the first
    publisher and puts the repository back; a pull and a new cut release once."""
    stack = lean
    demo, version = stack.project, "1.4.0"
    start = git(demo, "rev-parse", "HEAD")
    killed = run_release(
        demo, "cut", version, "--yes", env={**stack.env, "RELEASE_TEST_KILL_AT": "after:checksums"}
    )
    assert killed.code == -9, killed.err
    colleague_pushes(stack, tmp_path)
    stopped = run_release(demo, "resume", "--yes", env=stack.env)
    assert stopped.code == 1 and "moved since the cut started" in stopped.err, stopped.err
    assert "nothing is public" in stopped.err
    assert not [v for _, v in stack.crates.log.versions() if v == version]
    assert git(demo, "rev-parse", "HEAD") == start and git(demo, "status", "--porcelain") == ""
    assert git(demo, "tag", "--list", f"v{version}") == ""
    assert last_status(stack)["state"] == "restored"
    git(demo, "pull", "-q", "--rebase", "origin", "main")
    cut = run_release(demo, "cut", version, "--yes", env=stack.env)
    assert cut.code == 0, cut.err
    stack.check_published(version)


def test_a_version_a_destination_cannot_name_is_refused_before_anything(lean: Stack) -> None:
    """4: build metadata: crates would drop it, PyPI calls it local, Docker cannot tag it."""
    stack = lean
    demo = stack.project
    verified = run_release(demo, "verify", "1.5.0+build.5", env=stack.env)
    assert verified.code == 3, verified.out + verified.err
    said = verified.out + verified.err
    for reason in ("build metadata", "local version", "not a valid Docker tag"):
        assert reason in said, said
    cut = run_release(demo, "cut", "1.5.0+build.5", "--yes", env=stack.env)
    assert cut.code == 2
    assert not [v for _, v in stack.crates.log.versions() if v.startswith("1.5.0")]
    assert git(demo, "tag", "--list", "v1.5.0*") == ""


def test_a_refused_token_with_nothing_out_says_so_and_names_the_secret(lean: Stack) -> None:
    """5: a 403 on the first crate: nothing is public, the hint names the token, Slack says
    nothing was published; fixed, the cut releases once."""
    stack = lean
    demo, version = stack.project, "1.6.0"
    rule = stack.crates.faults.fail("/api/v1/crates/new", status=403, times=None)
    failed = run_release(demo, "cut", version, "--yes", env=stack.env)
    stack.crates.faults.remove(rule)
    assert failed.code == 1, failed.err
    assert "nothing is public" in failed.err and "are public" not in failed.err, failed.err
    assert f"set {token_name(stack.crates.name)}" in failed.err, failed.err
    assert len(failures(stack, version)) == 1
    assert AGAIN in failures(stack, version)[0]
    cut = run_release(demo, "cut", version, "--yes", env=stack.env)
    assert cut.code == 0, cut.err
    stack.check_published(version)


def test_a_branch_that_moved_and_conflicts_pushes_the_tag_and_says_how_to_finish(
    lean: Stack, tmp_path: Path
) -> None:
    """3: the colleague changed the lines the release commit changes: the merge is not
    made, the tag is pushed, and the commands given, then `release resume`, finish."""
    stack = lean
    demo, version = stack.project, "1.7.0"
    killed = run_release(
        demo, "cut", version, "--yes", env={**stack.env, "RELEASE_TEST_KILL_AT": "after:github"}
    )
    assert killed.code == -9, killed.err
    clone = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(stack.remote), str(clone))
    cargo = clone / "Cargo.toml"
    cargo.write_text(cargo.read_text().replace('version = "', 'version = "9', 1))
    git(clone, "commit", "-qam", "chore: the colleague's version")
    git(clone, "push", "-q", "origin", "main")
    failed = run_release(demo, "resume", "--yes", env=stack.env)
    assert failed.code == 1 and "does not merge cleanly" in failed.err, failed.err
    assert "git merge origin/main" in failed.err
    assert f"refs/tags/v{version}" in git(demo, "ls-remote", str(stack.remote))
    assert git(demo, "status", "--porcelain") == ""  # the merge was not left half-done
    git(demo, "fetch", "-q", "origin", "main")
    merged = subprocess.run(
        ["git", "merge", "origin/main"], cwd=demo, capture_output=True, check=False
    )
    assert merged.returncode != 0  # the conflict, resolved as a person would
    git(demo, "checkout", "--ours", "Cargo.toml")
    git(demo, "add", "Cargo.toml")
    git(demo, "commit", "-q", "--no-edit")
    resumed = run_release(demo, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published(version)
    assert last_status(stack)["state"] == "done"

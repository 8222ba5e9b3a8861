"""SIGKILL a whole cut at each publish boundary and in the middle of the crates, then
`release resume`: every destination ends with each artifact exactly once, and Slack is
told once. The world is asked, not only the journal."""

from __future__ import annotations

import json

import pytest

from ..conftest import run_release
from .stack import Stack

# (kill point, version): each cut its own version, so the shared index keeps them apart.
KILL_POINTS = [
    ("after:bump", "1.1.1"),  # before the commit: dependency versions in manifests too
    ("after:binaries", "1.2.0"),
    ("after:crate:demo-proto", "1.3.0"),  # mid-crates: core, colour and proto are out
    ("after:pypi", "1.4.0"),  # crates and PyPI out; Docker and GitHub not started
    ("after:github", "1.5.0"),
    ("after:push", "1.6.0"),
    ("after:github-publish", "1.7.0"),
    ("after:homebrew", "1.8.0"),
    ("before:slack", "1.9.0"),
]


@pytest.mark.parametrize(("point", "version"), KILL_POINTS, ids=[p for p, _ in KILL_POINTS])
def test_killed_cut_resumes_to_everything_once(stack: Stack, point: str, version: str) -> None:
    demo = stack.project
    killed = run_release(
        demo, "cut", version, "--yes", env={**stack.env, "RELEASE_TEST_KILL_AT": point}
    )
    assert killed.code == -9, killed.err
    state = json.loads(run_release(demo, "status", "--json").out)["releases"][-1]["state"]
    assert state == "interrupted"
    resumed = run_release(demo, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published(version)
    assert json.loads(run_release(demo, "status", "--json").out)["releases"][-1]["state"] == "done"
    again = run_release(demo, "resume", "--yes", env=stack.env)
    assert again.code == 2 and "no interrupted release" in again.err

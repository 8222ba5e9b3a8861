"""Messages that once pointed the wrong way: a second cut while the first runs, `release
status` for people."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from tests.cli.test_app import project  # noqa: F401 - the fixture
from tests.conftest import RELEASE, Repo, run_release


def test_a_second_cut_while_the_first_runs_gets_the_lock_message(
    project: Repo,  # noqa: F811
    tmp_path: Path,
) -> None:
    # The remote takes its time to accept the push: the first cut has tagged v1.2.0 and holds
    # the lock meanwhile, which is when a second one used to fail on the version.
    hook = tmp_path / "origin.git" / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nsleep 8\n")
    hook.chmod(0o755)
    first = subprocess.Popen(
        [RELEASE, "cut", "--yes"],
        cwd=project.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    deadline = time.monotonic() + 60
    while not project.git("tag", "-l", "v1.2.0") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert project.git("tag", "-l", "v1.2.0"), "the first cut never tagged"
    second = run_release(project.path, "cut", "1.2.0", "--yes")
    _out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.code == 2
    assert second.err.startswith("error: another release is running in this repository")
    assert "not greater" not in second.err
    assert run_release(project.path, "resume", "--yes").code == 2  # done: nothing to resume


def test_status_is_written_for_people_and_json_for_programs(
    project: Repo,  # noqa: F811
) -> None:
    assert run_release(project.path, "status").out == (
        "No release has been cut in this repository yet.\n"
    )
    killed = run_release(
        project.path, "cut", "--yes", env={"RELEASE_TEST_KILL_AT": "after:commit-tag"}
    )
    assert killed.code == -9
    journal = project.path / ".git" / "release-toolkit" / "journal" / "v1.2.0.jsonl"
    lines = run_release(project.path, "status").out.splitlines()
    assert lines[0].startswith("v1.2.0: stopped before it finished (killed, or still running)")
    assert "  done: changelog, bump, commit-tag" in lines
    assert f"  journal: {journal}" in lines  # the whole path, never cut short
    assert lines[-1] == "`release resume` finishes v1.2.0; steps already done are skipped."
    assert not any(": start" in line or "item" in line for line in lines)  # no raw events
    assert run_release(project.path, "resume", "--yes").code == 0
    data = json.loads(run_release(project.path, "status", "--json").out)["releases"][-1]
    assert data["state"] == "done" and data["journal"] == str(journal)
    outcomes = {o["step"]: o["outcome"] for o in data["outcomes"]}
    assert outcomes["changelog"] == "already done" and outcomes["push"] == "done"
    people = run_release(project.path, "status").out
    assert people.splitlines()[0].startswith("v1.2.0: released (started ")

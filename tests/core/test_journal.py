"""The release lock: an OS lock held by a live process, released by the kernel when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from release.base.errors import RepositoryError
from release.core.engine.journal import ReleaseLock

HOLD = """
import sys, time
from pathlib import Path
from release.core.engine.journal import ReleaseLock
with ReleaseLock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(git_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(git_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_cut_gets_the_lock_message_until_the_first_dies(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    try:
        with pytest.raises(RepositoryError) as caught, ReleaseLock(tmp_path):
            pass
        assert "another release is running" in caught.value.message
        assert f"pid {proc.pid}" in caught.value.message
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # Killed without a chance to clean up: the kernel let go of the lock.
    with ReleaseLock(tmp_path):
        pass


def test_a_leftover_file_naming_a_live_pid_does_not_block(tmp_path: Path) -> None:
    """The old PID file was fooled by PID reuse: a file naming any live process blocked."""
    state = tmp_path / "release-toolkit"
    state.mkdir()
    (state / "lock").write_text(f"pid {os.getppid()} on {os.uname().nodename}\n")
    (state / "lock.owner").write_text(f"pid {os.getppid()} on {os.uname().nodename}\n")
    started = time.monotonic()
    with ReleaseLock(tmp_path):
        assert (state / "lock.owner").read_text().startswith(f"pid {os.getpid()} ")
    assert time.monotonic() - started < 2
    assert not (state / "lock.owner").exists()


def test_one_holder_at_a_time_in_one_process(tmp_path: Path) -> None:
    with ReleaseLock(tmp_path), pytest.raises(RepositoryError), ReleaseLock(tmp_path):
        pass

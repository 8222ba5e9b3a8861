"""A durable record of a cut in progress, and the lock that keeps two cuts apart.

Both live in the repository's git directory, so a release never dirties the work tree.
Each record is appended and fsynced before the next external action.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from release.errors import RepositoryError
from release.secrets import redact


def state_dir(git_dir: Path) -> Path:
    return git_dir / "release-toolkit"


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_tag(cls, git_dir: Path, tag: str) -> Journal:
        folder = state_dir(git_dir) / "journal"
        folder.mkdir(parents=True, exist_ok=True)
        safe = tag.replace("/", "_")
        return cls(folder / f"{safe}.jsonl")

    def record(self, step: str, event: str, **detail: Any) -> None:
        entry = {"time": round(time.time(), 3), "step": step, "event": event, **detail}
        line = redact(json.dumps(entry, sort_keys=True, default=str)) + "\n"
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


class ReleaseLock:
    """One cut at a time per repository; a lock left by a dead process is taken over."""

    def __init__(self, git_dir: Path) -> None:
        self.path = state_dir(git_dir) / "lock"

    def __enter__(self) -> ReleaseLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._stale():
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                owner = self.path.read_text(encoding="utf-8").strip()
                raise RepositoryError(
                    f"another release is running in this repository ({owner})",
                    hint=f"wait for it to finish; if it is gone, delete {self.path}",
                ) from None
            with os.fdopen(fd, "w") as handle:
                handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
            return self
        raise RepositoryError(f"cannot take the release lock {self.path}")

    def _stale(self) -> bool:
        try:
            words = self.path.read_text(encoding="utf-8").split()
            pid, host = int(words[1]), words[3]
        except (OSError, ValueError, IndexError):
            return True  # unreadable: a crash between create and write
        if host != socket.gethostname():
            return False  # we cannot tell; a shared repository on another machine
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

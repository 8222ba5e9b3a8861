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

from release.core.errors import RepositoryError
from release.core.secrets import redact


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
        entries = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue  # a line torn by a kill mid-write; the fsync before it holds the rest
        return entries

    def summary(self) -> dict[str, Any]:
        """What this journal says: the release, its state, and each step's last event."""
        entries = self.entries()
        start = next((e for e in entries if e["step"] == "cut" and e["event"] == "start"), {})
        ends = [
            e for e in entries if e["step"] == "cut" and e["event"] in {"done", "failed", "partial"}
        ]
        steps: dict[str, str] = {}
        for entry in entries:
            if entry["step"] != "cut":
                steps[entry["step"]] = entry["event"]
        if not ends:
            state = "interrupted"
        elif ends[-1]["event"] in {"done", "partial"}:
            state = ends[-1]["event"]
        else:
            state = "restored" if ends[-1].get("restored") else "failed"
        return {
            "tag": start.get("tag", self.path.stem),
            "version": start.get("version"),
            "head": start.get("head"),
            "state": state,
            "started": start.get("time"),
            "steps": steps,
            "journal": str(self.path),
        }

    @classmethod
    def all(cls, git_dir: Path) -> list[Journal]:
        """Every journal of this repository, the most recently written last."""
        folder = state_dir(git_dir) / "journal"
        if not folder.is_dir():
            return []
        return [cls(p) for p in sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)]


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

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

from release.base.errors import RepositoryError
from release.base.secrets import redact

RUNS = {"cut", "build", "publish"}  # the records of a whole run, not of one step
ENDS = {"done", "failed", "partial"}
STEP_EVENTS = {"start", "done", "already-done", "failed"}
OUT = {"done", "already-done", "item"}  # a public step's events that prove something is out


def since_last_restore(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries after the last failure that restored the repository: that failure proved
    nothing was public, so what came before it says nothing about now. A "restored" after a
    public step's work was recorded (an older version's mistake) is no proof, and ignored."""
    last, public, out = 0, set[str](), False
    for n, entry in enumerate(entries):
        if entry["step"] in RUNS and isinstance(entry.get("public"), list):
            public = set(entry["public"])
        if entry["step"] in public and entry["event"] in OUT:
            out = True
        if entry.get("event") == "failed" and entry.get("restored") and not out:
            last = n + 1
    return entries[last:]


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

    def named(self, package: str | None) -> Journal:
        """This journal, with each line's step named after `package` (independent mode)."""
        return self if package is None else PackageJournal(self.path, package)

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
        """What this journal says: the release, its state, each step's last event, and which
        public steps have put something out (`out`) and which planned steps are `left`."""
        entries = self.entries()
        start = next((e for e in entries if e["step"] == "cut" and e["event"] == "start"), {})
        # A publish on the tagged commit finishes a cut (or a release cut in CI).
        ends = [e for e in entries if e["step"] in RUNS and e["event"] in ENDS]
        steps: dict[str, str] = {}
        outcome: dict[str, str] = {}  # each step's last start, done, already-done or failed
        for entry in entries:
            if entry["step"] not in RUNS and entry["event"] != "wrote":
                steps[entry["step"]] = entry["event"]
                if entry["event"] in STEP_EVENTS:
                    outcome[entry["step"]] = entry["event"]
        runs = [e for e in entries if e["step"] in RUNS and e["event"] in {"start", "resume"}]
        planned: list[str] = next((e["planned"] for e in reversed(runs) if "planned" in e), [])
        public: list[str] = next(
            (e["public"] for e in reversed(runs) if isinstance(e.get("public"), list)), []
        )
        atomic: list[str] = next((e["atomic"] for e in reversed(runs) if "atomic" in e), [])
        recent = since_last_restore(entries)
        out = sorted({e["step"] for e in recent if e["event"] in OUT} & set(public))
        started = {e["step"] for e in recent if e["event"] == "start"} & set(public)
        if not ends:
            state = "interrupted"
        elif ends[-1]["event"] in {"done", "partial"}:
            state = ends[-1]["event"]
        else:
            state = "restored" if ends[-1].get("restored") and not out else "failed"
        finished = {"done", "already-done"}
        return {
            "tag": start.get("tag", self.path.stem),
            "packages": start.get("packages"),  # independent mode: package -> its tag
            "version": start.get("version"),
            "head": start.get("head"),
            "state": state,
            "started": start.get("time"),
            "steps": steps,
            "out": out,
            "maybe_out": sorted(
                started - set(out) - set(atomic)
            ),  # started; its destination may have some
            "left": [n for n in planned if outcome.get(n) not in finished],
            "journal": str(self.path),
        }

    @classmethod
    def all(cls, git_dir: Path) -> list[Journal]:
        """Every journal of this repository, the most recently written last."""
        folder = state_dir(git_dir) / "journal"
        if not folder.is_dir():
            return []
        return [cls(p) for p in sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)]


class PackageJournal(Journal):
    """The journal of a cut of several packages, as one package's steps write to it."""

    def __init__(self, path: Path, package: str) -> None:
        super().__init__(path)
        self.package = package

    def record(self, step: str, event: str, **detail: Any) -> None:
        super().record(f"{self.package}/{step}", event, **detail)


class ReleaseLock:
    """One cut at a time per repository: an OS lock (flock through `filelock`) held for the
    cut's lifetime. The kernel drops it when the process dies, so there is no stale lock to
    take over and no PID that a new process could reuse; the file names the holder only for
    the message a second cut gets."""

    def __init__(self, git_dir: Path) -> None:
        import filelock  # here: `release verify` reads the journal's module, never locks

        self.path = state_dir(git_dir) / "lock"
        self._lock = filelock.FileLock(self.path, is_singleton=False, thread_local=False)

    def __enter__(self) -> ReleaseLock:
        from filelock import Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise RepositoryError(
                f"another release is running in this repository ({self._owner()})",
                hint="wait for it to finish (`release status` shows what it did)",
            ) from None
        # The holder's name goes beside the lock: filelock may empty the lock file itself.
        self._owner_path().write_text(
            f"pid {os.getpid()} on {socket.gethostname()}\n", encoding="utf-8"
        )
        return self

    def _owner_path(self) -> Path:
        return self.path.with_name("lock.owner")

    def _owner(self) -> str:
        try:
            return self._owner_path().read_text(encoding="utf-8").strip() or "pid unknown"
        except OSError:
            return "pid unknown"

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._owner_path().unlink()
        self._lock.release()

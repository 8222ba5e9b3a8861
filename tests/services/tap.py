"""A Homebrew tap for tests and the demo: a bare git repository with one commit on main,
as `brew tap-new` leaves it, and readers of what the release pushed to it."""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def make_tap(folder: Path) -> Path:
    bare = folder / "homebrew-tap.git"
    _git(folder, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = folder / "tap-seed"
    _git(folder, "clone", "-q", str(bare), str(seed))
    (seed / "README.md").write_text("# tap\n")
    _git(seed, "add", "README.md")
    _git(
        seed, "-c", "user.name=tap", "-c", "user.email=tap@localhost", "commit", "-q", "-m", "init"
    )
    _git(seed, "push", "-q", "origin", "HEAD:refs/heads/main")
    return bare


def tap_file(bare: Path, path: str = "Formula/demo.rb") -> str | None:
    proc = subprocess.run(
        ["git", "--git-dir", str(bare), "show", f"main:{path}"], capture_output=True, text=True
    )
    return proc.stdout if proc.returncode == 0 else None


def tap_log(bare: Path, branch: str = "main") -> list[str]:
    return _git(bare, "log", "--format=%s", branch).splitlines()

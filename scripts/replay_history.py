"""Turn a project tree and a .history file into a real git repository (used by scripts/demo
and the end-to-end tests). Standard library only; see examples/polyglot-demo.history."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Demo Developer",
    "GIT_AUTHOR_EMAIL": "dev@demo.test",
    "GIT_COMMITTER_NAME": "Demo Developer",
    "GIT_COMMITTER_EMAIL": "dev@demo.test",
}


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **IDENTITY}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def replay(tree: Path, history: Path, dest: Path) -> None:
    shutil.copytree(tree, dest)
    _git(dest, "init", "-q", "-b", "main")
    for key, value in (("commit.gpgsign", "false"), ("tag.gpgsign", "false")):
        _git(dest, "config", key, value)
    first = True
    branch: str | None = None
    date = "2026-01-01T00:00:00Z"
    for raw in history.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "tag":
            _git(dest, "tag", "-a", "-m", rest, rest, date=date)
        elif word == "branch":
            branch = rest
            _git(dest, "checkout", "-q", "-b", rest)
        elif word == "merge":
            _git(dest, "checkout", "-q", "main")
            _git(dest, "merge", "-q", "--no-ff", rest, "-m", f"Merge branch '{rest}'", date=date)
            branch = None
        else:
            date, _, message = (part.strip() for part in line.partition("|"))
            message = message.replace("\\n", "\n")
            if not first:
                notes = dest / (f"NOTES-{branch}.md" if branch else "NOTES.md")
                with notes.open("a", encoding="utf-8") as handle:
                    handle.write(f"- {message.splitlines()[0]}\n")
            _git(dest, "add", "-A")
            _git(dest, "commit", "-q", "-m", message, date=date)
            first = False


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: replay_history.py TREE HISTORY DEST")
    replay(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))

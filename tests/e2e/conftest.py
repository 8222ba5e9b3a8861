"""The example project, replayed with its history into a temp dir with a bare remote."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ..conftest import git

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from replay_history import replay  # noqa: E402


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    replay(
        ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", project
    )
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(project, "remote", "add", "origin", str(tmp_path / "remote.git"))
    git(project, "push", "-q", "origin", "main", "--tags")
    return project

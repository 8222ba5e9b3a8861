"""Install the peers into bench/.venv-peers: python-semantic-release, commitizen, git-cliff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv-peers"
PEERS = ["python-semantic-release", "commitizen", "git-cliff"]


def ensure() -> Path:
    if not (VENV / "bin" / "semantic-release").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, *PEERS], check=True)
    return VENV / "bin"


if __name__ == "__main__":
    print(ensure())

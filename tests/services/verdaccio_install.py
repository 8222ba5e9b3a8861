"""Verdaccio, the npm registry the tests run on loopback, installed from the npm registry
once per machine (a shared cache folder; `scripts/bootstrap --test` installs it ahead).

    python -m tests.services.verdaccio_install     # prints the path of its entry script
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from filelock import FileLock

VERSION = "6.8.0"  # 6.10 wants Node 22; 6.8 runs on Node 20


def home() -> Path:
    base = os.environ.get("RELEASE_TEST_CACHE") or Path.home() / ".cache" / "release-toolkit"
    return Path(base) / f"verdaccio-{VERSION}"


def entry() -> Path:
    return home() / "node_modules" / "verdaccio" / "bin" / "verdaccio"


def ensure() -> Path:
    """The installed entry script, installing Verdaccio first where it is missing."""
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        if not entry().is_file():
            (folder / "package.json").write_text(json.dumps({"private": True}) + "\n")
            subprocess.run(
                [
                    "npm",
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    f"verdaccio@{VERSION}",
                ],
                cwd=folder,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    return entry()


if __name__ == "__main__":
    print(ensure())

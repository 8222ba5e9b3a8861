"""Write constraints.txt: every package release-toolkit needs at run time, pinned to the
version pip resolves for it now, for action.yml to install the toolkit with (`pip install
--constraint constraints.txt`). A user's workflow that pins the action pins the toolkit's
whole environment with it: a dependency's new release changes nothing until this file is
regenerated, reviewed and released.

The resolution is pip's own (`pip install --dry-run --report`, the closure of pyproject's
`dependencies` with markers evaluated for the Python and platform that run it). A package
that only another Python or platform needs (exceptiongroup before Python 3.11, Windows'
pywin32-ctypes for keyring) is not in the file: pip picks it within the ranges that ask for
it. A pin for a package this Python does not install is harmless. tests/test_constraints.py
checks that every runtime dependency is pinned, inside its range.

Usage: .venv/bin/python scripts/lock_dependencies.py [--output constraints.txt]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "release-toolkit"
HEADER = (
    "# release-toolkit's run-time dependencies, pinned: action.yml installs the toolkit with\n"
    "# `pip install --constraint constraints.txt`. Generated; do not edit by hand:\n"
    "#   .venv/bin/python scripts/lock_dependencies.py\n"
)


def resolved(project: Path) -> dict[str, str]:
    """name -> version of everything pip would install for `project` (itself left out)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed"]
        subprocess.run([*pip, "--quiet", "--report", str(report), str(project)], check=True)
        data = json.loads(report.read_text(encoding="utf-8"))
    found = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in data["install"]
    }
    found.pop(PROJECT, None)
    return found


def render(pins: dict[str, str]) -> str:
    return HEADER + "".join(f"{name}=={pins[name]}\n" for name in sorted(pins))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "constraints.txt")
    args = parser.parse_args()
    args.output.write_text(render(resolved(ROOT)), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

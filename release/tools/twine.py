"""twine, run as `python -m twine`: metadata checks and uploads. Credentials travel in the
environment (TWINE_USERNAME/TWINE_PASSWORD), never in argv."""

from __future__ import annotations

import sys
from pathlib import Path

from release.base.errors import ReleaseError
from release.tools.run import run


def check(files: list[Path]) -> None:
    # Not --strict: a warning (no long_description) is PyPI's to accept; errors stop the cut.
    proc = run(
        [sys.executable, "-m", "twine", "check", *map(str, files)],
        check=False,
        env={"NO_COLOR": "1"},
    )
    if proc.returncode != 0:
        lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
        raise ReleaseError(
            "twine check failed: " + (lines[-1] if lines else "no output"),
            hint="fix the package metadata (often the README's markup) before releasing",
            detail="\n".join(lines[-10:]),
        )


def upload(file: Path, *, repository_url: str, credentials: dict[str, str]) -> None:
    """One file: a failure names it, and what was uploaded before it stays uploaded."""
    run(
        [
            sys.executable,
            "-m",
            "twine",
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            repository_url,
            str(file),
        ],
        env={**credentials, "NO_COLOR": "1"},
        what=f"twine upload {file.name}",
    )

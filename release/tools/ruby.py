"""ruby, when it is installed: a syntax check of a Homebrew formula before it is pushed."""

from __future__ import annotations

from pathlib import Path

from release.tools.run import run, which


def check_syntax(path: Path) -> None:
    """`ruby -c FILE`: a formula that Ruby cannot parse never reaches the tap. Without ruby
    (a Linux runner without it) the check is left out: the formula's lines were only edited."""
    if which("ruby"):
        run(["ruby", "-c", str(path)], what="ruby -c on the updated formula")

"""`release status`: what the journals of this repository's cuts say."""

from __future__ import annotations

from pathlib import Path

from release.commands.results import StatusResult
from release.core.journal import Journal
from release.tools.git import Git


def status(start: Path) -> StatusResult:
    git = Git.discover(start)
    return StatusResult([journal.summary() for journal in Journal.all(git.git_dir())])

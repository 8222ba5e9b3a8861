"""Living inside GitHub Actions: masks, groups, annotations, outputs and the step summary.

Everything here is a no-op outside Actions (GITHUB_ACTIONS unset), so callers need no checks.
Workflow commands are written to stderr: the runner parses both streams of a step (its
script handler sends stdout and stderr to one output manager), and stdout stays clean for
`--json` and for the version `release next` prints.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def active() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def mask(value: str) -> None:
    """Ask the runner to hide a secret in every log line, ours and every other step's."""
    if active() and value:
        for line in value.splitlines():
            if line.strip():
                _command(f"::add-mask::{_escape_data(line)}")


@contextmanager
def group(title: str) -> Iterator[None]:
    """A foldable section of the log for one step."""
    if not active():
        yield
        return
    _command(f"::group::{_escape_data(title)}")
    try:
        yield
    finally:
        _command("::endgroup::")


def error(message: str, *, file: str | None = None, line: int | None = None) -> None:
    """An annotation on the file and line of the workflow run's changes."""
    if not active():
        return
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
    if line:
        props.append(f"line={line}")
    joined = (" " + ",".join(props)) if props else ""
    _command(f"::error{joined}::{_escape_data(message)}")


def set_output(name: str, value: str) -> None:
    """A step output (GITHUB_OUTPUT), with a heredoc delimiter that cannot occur in the value."""
    path = os.environ.get("GITHUB_OUTPUT")
    if not active() or not path:
        return
    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def summary(markdown: str) -> None:
    """Append markdown to the job's summary page (GITHUB_STEP_SUMMARY)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not active() or not path:
        return
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(markdown.rstrip("\n") + "\n")

"""What a command asks of the person running it, through whichever front end runs it: the
command line gives a terminal (release.cli.render.Terminal), a test gives its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from release.core.engine.context import Problem
    from release.core.engine.pipeline import Progress


class Ui(Protocol):
    def problems(self, problems: list[Problem]) -> None:
        """The problems (and warnings) a check found, before anything runs."""
        ...

    def confirm(self, question: str) -> bool:
        """Yes to go on. Without a terminal to ask, a BadInput: only --yes goes on."""
        ...

    def progress(self) -> Progress: ...

"""One commit as git-cliff parsed it (or, for a message git-cliff cannot read, as
tools/cliff_unreadable.py parsed git's reading of it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commit:
    """One commit as git-cliff parsed it."""

    id: str
    type: str | None  # the conventional type; None for a non-conventional message
    scope: str | None
    description: str
    breaking: bool
    merge: bool
    summary: str  # the first line of the raw message
    # The whole message as git read it, when git-cliff could not (not valid UTF-8).
    unreadable: str | None = None

    @property
    def conventional(self) -> bool:
        return self.type is not None

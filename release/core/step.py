"""The shape every step has: applies, check (read-only), done (asks the world), run."""

from __future__ import annotations

from typing import Protocol

from release.core.context import Problem, ReleaseContext


class Step(Protocol):
    name: str
    # Does `run` make something visible outside this machine (a push, an upload)? After such a
    # step a failure can no longer be undone by restoring the repository: `release resume`.
    public: bool

    def applies(self, ctx: ReleaseContext) -> bool:
        """Is this step configured or detected for this project?"""
        ...

    def describe(self, ctx: ReleaseContext) -> str:
        """One line: what the step would do in this release."""
        ...

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        """Read-only checks: tools, credentials, remote state. Never changes anything."""
        ...

    def done(self, ctx: ReleaseContext) -> bool:
        """Is the step's effect already true in the world? A re-run then skips it."""
        ...

    def run(self, ctx: ReleaseContext) -> None:
        """Do it; record what it made in the context."""
        ...

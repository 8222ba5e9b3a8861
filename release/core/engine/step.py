"""The shape every step has: applies, check (read-only), done (asks the world), run.

A step says everything the pipeline asks of it here; steps subclass `Step` and inherit the
defaults (`atomic`, `announce_failure`) they do not need to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from release.core.engine.context import Problem, ReleaseContext


@dataclass(frozen=True)
class Applies:
    """The step has work in this release."""

    def __bool__(self) -> Literal[True]:
        return True


@dataclass(frozen=True)
class Skip:
    """The step has nothing to do in this release, and why (goreleaser's `pipe.Skip`): the
    plan shows the reason."""

    reason: str

    def __bool__(self) -> Literal[False]:
        return False


APPLIES = Applies()
Verdict = Applies | Skip


def skip_unless(condition: object, reason: str) -> Verdict:
    """APPLIES when `condition` holds, else Skip(reason)."""
    return APPLIES if condition else Skip(reason)


class Step(Protocol):
    name: str
    # Does `run` make something visible outside this machine (a push, an upload)? After such a
    # step a failure can no longer be undone by restoring the repository: `release resume`.
    public: bool
    # A failed `run` of a public step has published nothing (git push --atomic): the
    # repository can still be restored after it.
    atomic: bool = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        """APPLIES when the step has work in this release, else Skip with the reason."""
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

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        """Does it make something public out of the project's files (a build, a package)?
        A resume past a moved HEAD runs it in a tree of the release commit (engine/sources)."""
        return False

    def anything_out(self, ctx: ReleaseContext) -> bool:
        """After a failed `run` of a public step: is any of its work at the destination?
        Asked only when the journal cannot tell; True (the safe answer) unless a step asks."""
        return True

    def before_public(self, ctx: ReleaseContext) -> None:
        """Called on every step of a cut right before its first public step runs, while
        nothing is public yet: raise to stop the cut there (the branch moved, say)."""
        return None

    def announce_failure(self, ctx: ReleaseContext, step: str, error: str, resumable: bool) -> None:
        """Told when a step of the release failed (announcers send it on); most ignore it."""
        return None

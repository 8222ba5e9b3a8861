"""A cut given the runners' artifacts: each build step is checked only for the work that is
not here (release.commands.train_split.Prebuilt). The release runner has no Rust target of
the other runners, and needs none for archives they built; a build step whose files are
missing is checked as ever."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from release.base.errors import ReleaseError
from release.commands.train_split import Prebuilt, prebuilt
from release.core.engine.context import Problem
from release.core.engine.step import APPLIES, Verdict
from release.steps import catalog

MISSING = Problem("binaries", "the Rust target aarch64-apple-darwin is not installed")


@dataclass
class Building:
    """A build step whose tools are missing here, its work done elsewhere or not."""

    built: bool | None  # None: asking raises, as jobs() does without cargo
    name: str = "binaries"
    public: bool = False
    atomic: bool = False
    ran: bool = False

    def applies(self, ctx: Any) -> Verdict:
        return APPLIES

    def describe(self, ctx: Any) -> str:
        return "build"

    def check(self, ctx: Any) -> list[Problem]:
        return [MISSING]

    def done(self, ctx: Any) -> bool:
        if self.built is None:
            raise ReleaseError("cargo is not installed")
        return self.built

    def run(self, ctx: Any) -> None:
        self.ran = True


def test_what_the_runners_built_is_not_checked_for_tools_here() -> None:
    assert Prebuilt(Building(built=True)).check(None) == []
    assert Prebuilt(Building(built=False)).check(None) == [MISSING]
    assert Prebuilt(Building(built=None)).check(None) == [MISSING]
    missing = Building(built=False)
    Prebuilt(missing).run(None)
    assert missing.ran  # not here: built by the cut, as without --artifacts


def test_only_the_build_steps_are_wrapped_and_every_name_is_kept() -> None:
    steps = catalog.cut_steps("local")
    wrapped = prebuilt(steps)
    assert [s.name for s in wrapped] == [s.name for s in steps]
    builds = {s.name for s in catalog.build_steps()}
    assert {s.name for s in wrapped if isinstance(s, Prebuilt)} == builds
    assert all(w is s for w, s in zip(wrapped, steps, strict=True) if s.name not in builds)
    assert all(w.public == s.public for w, s in zip(wrapped, steps, strict=True))

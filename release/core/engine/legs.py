"""What a run is made of: legs (steps over one context), the run's journal and label, and
each step's result. Apart from the pipeline that runs them, so that what a failure does
(core/engine/failure.py) can name them without importing the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.engine.step import Step


@dataclass
class StepResult:
    name: str
    status: str  # ran | already-done | skipped | failed
    seconds: float = 0.0
    error: str | None = None
    detail: str | None = None  # the failing tool's last words, already redacted
    hint: str | None = None  # the failing step's own hint (the secret to fix, say)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }


@dataclass
class Leg:
    """Steps run over one context. Lockstep cuts have one leg; an independent cut has one
    per package and stage (build and publish, announce) and the repository's own between."""

    ctx: ReleaseContext
    steps: list[Step]
    package: str | None = None  # journal lines and results are named after it


@dataclass
class Run:
    """What a run records about itself: its journal, its label (cut, build, publish), what
    its start line says, and what its failures call the release."""

    journal: Journal
    label: str
    start: dict[str, Any]
    name: str

"""What git-cliff's own config can make go wrong silently, as problems: a command that
cliff.toml runs is not installed (at its line), and what git-cliff warned while rendering
(commits it skipped are commits missing from the new section)."""

from __future__ import annotations

from pathlib import Path

from release.base.errors import ReleaseError
from release.core.engine.context import Problem
from release.tools import cliff, cliff_commands, cliff_warnings


def command_problems(step: str, config: Path) -> list[Problem]:
    data = cliff.load_config(config)
    return [
        Problem(
            step,
            f"{config.name} runs `{m.command}`, but {m.program} is not installed: git-cliff "
            "skips every commit the command fails on",
            hint=f"install {m.program} (and put it on PATH), or remove the command from "
            f"{config.name}",
            where=f"{config}:{m.line}" if m.line else str(config),
        )
        for m in cliff_commands.missing(config, data)
    ]


def warning_problems(step: str, config: Path) -> list[Problem]:
    """git-cliff's warnings of the renders since the last call: skipped commits stop the
    release (the section would leave them out), anything else deserves a look."""
    warnings = cliff_warnings.take()
    skipped = cliff_warnings.skipped(warnings)
    said = "; ".join(warnings)
    if skipped:
        return [
            Problem(
                step,
                f"git-cliff skipped {skipped} commit(s), which the new section would leave "
                f"out: {said}",
                hint=f"fix what {config.name} runs on commits (commit_preprocessors, "
                "postprocessors), then verify again",
                where=str(config),
            )
        ]
    return [Problem(step, f"git-cliff warned: {w}", severity="warning") for w in warnings]


def raise_on_skipped(config: Path) -> None:
    """In a cut: never write a section git-cliff left commits out of."""
    for problem in warning_problems("changelog", config):
        if problem.severity == "error":
            raise ReleaseError(problem.message, hint=problem.hint)

"""The order of a cut's publishers: by risk, the irreversible ones alone and first."""

from __future__ import annotations

from release.core.engine.pipeline import CHECKED_TOGETHER, stages
from release.steps.catalog import all_steps


def _names(groups: list[list[object]]) -> list[list[str]]:
    return [[s.name for s in group] for group in groups]  # type: ignore[attr-defined]


def test_crates_then_pypi_then_npm_alone_then_docker_and_github_together() -> None:
    run = _names(stages(all_steps()))  # type: ignore[arg-type]
    start = run.index(["crates"])
    expected = [["crates"], ["pypi"], ["npm"], ["docker", "github"], ["push"]]
    assert run[start : start + 5] == expected


def test_verify_asks_every_publisher_at_once() -> None:
    checked = _names(stages(all_steps(), CHECKED_TOGETHER))  # type: ignore[arg-type]
    assert ["crates", "pypi", "npm", "docker", "github"] in checked

"""The `[pr]` section: the release pull request that `release pr` keeps up to date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_STRICT = {"extra": "forbid", "strict": True}
# What git accepts as a branch name, kept simple: no spaces, no `..`, no leading `-` or `/`.
_BRANCH = re.compile(r"^(?!-|/)(?!.*\.\.)[A-Za-z0-9._/-]+(?<![/.])$")


def _default_labels() -> list[str]:
    return ["release-toolkit: pending"]


@dataclass
class PrConfig:
    __pydantic_config__ = _STRICT

    branch: str = "release-toolkit/next"  # the release branch, force-updated by `release pr`
    labels: list[str] = field(default_factory=_default_labels)  # put on the pull request

    def __post_init__(self) -> None:
        if not _BRANCH.match(self.branch):
            raise ValueError(f"branch: {self.branch!r} is not a usable git branch name")
        if any(not label.strip() for label in self.labels):
            raise ValueError("labels: a label cannot be empty")

"""One package's plan in an independent release: where it starts, what changed, its next
version and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from release.base.versioning import Bump, Release, TagFormat, Version
from release.core.project.packages import Package


@dataclass(frozen=True)
class Change:
    id: str
    summary: str
    type: str | None
    breaking: bool


@dataclass
class PackagePlan:
    package: Package
    fmt: TagFormat
    previous: Release | None  # the last final release: what a bump starts from
    latest: Release | None = None  # the last tag, prereleases included: `rc.N` counts on
    changes: list[Change] = field(default_factory=list)
    bump: Bump = Bump.NONE
    version: Version | None = None  # None: not released
    reasons: list[str] = field(default_factory=list)
    explicit: bool = False  # the version was given (`--package NAME VERSION`)
    group_tag: str | None = None  # a group's follower: the group's tag, none of its own

    @property
    def tag(self) -> str | None:
        if self.version is None:
            return None
        return self.group_tag or self.fmt.format(self.version)

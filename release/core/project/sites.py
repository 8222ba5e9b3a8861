"""Where a project states its version: one site per string, and the manifest protocol that
finds them and writes a new version into them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from release.base.versioning import Version


@dataclass(frozen=True)
class VersionSite:
    """One place that states the project's current version."""

    path: Path
    line: int | None
    version: str
    label: str

    def where(self, root: Path) -> str:
        rel = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{rel}:{self.line}" if self.line else str(rel)


class Manifest(Protocol):
    def current(self) -> list[VersionSite]: ...

    def bumped(self, new: Version) -> dict[Path, str]: ...

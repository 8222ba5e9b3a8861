"""One package of a repository with a version of its own (release.core.project.packages finds
them), and the names it goes by: a name two ecosystems share is qualified by its registry
(`cargo/polars`, release.core.project.package_names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from release.base.versioning import Version

Kind = Literal["crate", "python", "npm"]
REGISTRY = {"crate": "cargo", "python": "pypi", "npm": "npm"}
_PREFIXES = tuple(f"{r}/" for r in REGISTRY.values())


def unqualified(name: str) -> str:
    """The name a package's manifest states and its registry knows (`cargo/polars` -> `polars`)."""
    return name.partition("/")[2] if name.startswith(_PREFIXES) else name


@dataclass(frozen=True)
class Package:
    name: str
    kind: Kind
    root: str  # its folder, relative to the repository root, "" for the root itself
    manifest: Path
    version: Version
    # Sibling packages it requires: name -> the requirement (None: a path dependency only).
    requires: dict[str, str | None] = field(default_factory=dict)
    # A crate's PyPI package of the same name (its binary, built by maturin): the same release,
    # one tag, the version written in both manifests.
    companions: tuple[Path, ...] = ()
    companion_roots: tuple[str, ...] = ()

    @property
    def manifest_name(self) -> str:
        """The name its manifest states and its registry knows (`polars` for `cargo/polars`)."""
        return unqualified(self.name)

    def owns(self, path: str) -> bool:
        return any(
            not root or path == root or path.startswith(root + "/")
            for root in (self.root, *self.companion_roots)
        )

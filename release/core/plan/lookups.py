"""What one command looks up once and reads many times: the repository's layout, its
packages and `cargo metadata`. One `Lookups` lives on the contexts of one command (every
package's context of an independent cut shares it); nothing is kept between commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from release.core.project.layout import Layout, detect
from release.core.settings import config as config_module
from release.core.settings.config import Config
from release.tools.git import Git

if TYPE_CHECKING:
    from release.core.project.packages import Package


@dataclass
class Lookups:
    _layout: Layout | None = None
    _packages: list[Package] | None = None
    _cargo: dict[tuple[Path, bool], dict[str, Any]] = field(default_factory=dict)

    def layout(self, root: Path, config: Config) -> Layout:
        """The repository's whole layout (a package's context holds its scoped one)."""
        if self._layout is None:
            self._layout = detect(root, config)
        return self._layout

    def packages(self, root: Path, config: Config) -> list[Package]:
        """The packages with a version of their own, as their manifests state it now."""
        if self._packages is None:
            from release.core.project.packages import discover

            self._packages = discover(root, config, self.layout(root, config))
        return self._packages

    def cargo_metadata(self, workspace: Path, *, no_deps: bool) -> dict[str, Any]:
        key = (workspace, no_deps)
        if key not in self._cargo:
            from release.tools import cargo

            self._cargo[key] = cargo.metadata(workspace, no_deps=no_deps)
        return self._cargo[key]

    def manifests_changed(self) -> None:
        """A bump rewrote the manifests: the versions they state, and cargo's, are new."""
        self._packages = None
        self._cargo.clear()


class Looked(NamedTuple):
    """The repository, its config and the lookups: what a command finds once at its start
    and hands to the planners (`release verify` and `cut` plan the train, then lockstep)."""

    git: Git
    cfg: Config
    lookups: Lookups

    @classmethod
    def open(cls, start: Path) -> Looked:
        git = Git.discover(start)
        return cls(git, config_module.load(git.root), Lookups())

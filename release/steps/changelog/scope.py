"""Which commits a package's changelog tells, in independent mode: those that touch its
folder, less the folders of the packages nested in it and the `[version] shared_paths`
(lock files, CI), as `release next` gives commits to packages (release.core.plan.independent).
Said as git-cliff's `--include-path`/`--exclude-path` globs: git-cliff keeps a commit when
one of its files is included and not excluded, the same rule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from release.core.settings.config import Config

if TYPE_CHECKING:
    from release.core.project.packages import Package


def escape(path: str) -> str:
    """`path` as a glob that matches only itself (git-cliff's globs know [], * and ?)."""
    return re.sub(r"([\[\]*?])", r"[\1]", path)


def path_filters(
    folder: str, folders: Iterable[str], shared: Iterable[str]
) -> tuple[list[str], list[str]]:
    """(include, exclude) globs for the package in `folder` ("" at the repository's root)
    among the packages in `folders`: its folder less the folders of packages nested in it
    (at the root: every other package's folder), less the shared paths."""
    include = [f"{escape(folder)}/**"] if folder else []
    nested = sorted(
        {f for f in folders if f and f != folder and (not folder or f.startswith(folder + "/"))}
    )
    return include, [f"{escape(f)}/**" for f in nested] + list(shared)


def package_changelog(root: Path, config: Config, package: Package) -> Path:
    """A package's own changelog: `[changelog] package_paths` names it, else `package_path`
    in its folder."""
    named = config.changelog.package_paths.get(package.name)
    if named is not None:
        return root / named
    return root / package.root / config.changelog.package_path

"""Example packages: a crate or package.json under an `examples/` folder (tauri's
`examples/resources`, mdBook's `examples/remove-emphasis`) that no tag ever named. They show
how to use the project and are never released, even when their manifest does not say so
(no `publish = false`, no `"private": true`): no version of the project, never named after,
never bumped. One that says it is published (`publish = true`, a `publishConfig`), or that a
tag names, stays a package."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from release.tools.run import run

_FOLDERS = {"examples", "example"}
_SEPARATORS = "-_@/"


def in_examples(folder: str) -> bool:
    """Whether a package folder (relative to the repository root) is inside an examples folder."""
    return any(part.lower() in _FOLDERS for part in PurePosixPath(folder).parts)


def untagged(root: Path, names: Iterable[str]) -> set[str]:
    """The names of `names` that no tag of the repository at `root` names (`name-v1.2.0`,
    `name@1.2.0`, `name/v1.2.0`, `name_v1.2.0`). One `git for-each-ref`, asked only when there
    is an example to judge; outside a git repository, no tag names anything."""
    wanted = set(names)
    if not wanted:
        return set()
    try:
        proc = run(
            ["git", "for-each-ref", "--format=%(refname:strip=2)", "refs/tags"],
            cwd=root,
            check=False,
        )
    except OSError:
        return wanted
    tags = proc.stdout.split() if proc.returncode == 0 else []
    named = {
        name
        for name in wanted
        for tag in tags
        if tag.startswith(name) and tag[len(name) : len(name) + 1] in tuple(_SEPARATORS)
    }
    return wanted - named

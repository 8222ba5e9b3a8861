"""Example packages: a crate or package.json under an `examples/` folder (tauri's
`examples/resources`, mdBook's `examples/remove-emphasis`) that no tag ever named. They show
how to use the project and are never released, even when their manifest does not say so
(no `publish = false`, no `"private": true`): no version of the project, never named after,
never bumped. One that says it is published (`publish = true`, a `publishConfig`), or that a
tag names, stays a package."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from release.base.versioning import Version
from release.tools.run import run

_FOLDERS = {"examples", "example"}
_SEPARATORS = "-_@/"


def in_examples(folder: str) -> bool:
    """Whether a package folder (relative to the repository root) is inside an examples folder."""
    return any(part.lower() in _FOLDERS for part in PurePosixPath(folder).parts)


def untagged(root: Path, stated: Mapping[str, str | None]) -> set[str]:
    """The names of `stated` (name -> the version its manifest states) that no tag of the
    repository at `root` names: `name-v1.2.0`, `name@1.2.0`, `name/v1.2.0`, `name_v1.2.0`, at a
    version up to the stated one (tauri's example `api` at 0.1.0 is not the `api-v1.5.0` of
    an npm package before it took its scope). One `git for-each-ref`, asked only when there
    is an example to judge; outside a git repository, no tag names anything."""
    if not stated:
        return set()
    try:
        proc = run(
            ["git", "for-each-ref", "--format=%(refname:strip=2)", "refs/tags"],
            cwd=root,
            check=False,
        )
    except OSError:
        return set(stated)
    tags = proc.stdout.split() if proc.returncode == 0 else []
    named = {
        name
        for name, version in stated.items()
        for tag in tags
        if tag.startswith(name)
        and tag[len(name) : len(name) + 1] in tuple(_SEPARATORS)
        and _up_to(tag[len(name) + 1 :], version)
    }
    return set(stated) - named


def _up_to(text: str, stated: str | None) -> bool:
    """Whether a tag's rest is a version (`v1.2.0`; not `cli-v1.2.0`, another package's) at
    most the stated one (any, when either is not semver)."""
    if not text[:2].lstrip("v")[:1].isdigit():
        return False
    try:
        return Version.parse(text.removeprefix("v")) <= Version.parse(stated or "")
    except ValueError:
        return True

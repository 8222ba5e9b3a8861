"""Example, test and bench packages: a crate or package.json under an `examples/`, `tests/`,
`benches/` (or `example`, `test`, `bench`, `fuzz`) folder that no tag names (tauri's
`examples/resources` and `crates/tests/restart`, mdBook's `examples/remove-emphasis`, pyo3's
`tests/ui/base`). They show or test the project and are never released, even when their
manifest does not say so (no `publish = false`, no `"private": true`): no version of the
project, never named after, never bumped. One that says it is published (`publish = true`, a
`publishConfig`), or that a tag names, stays a package."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from release.base.versioning import Version
from release.tools.run import run

# Cargo's own folders for what is no product (examples, tests, benches), and fuzz targets.
_FOLDERS = {"examples", "example", "tests", "test", "benches", "bench", "fuzz"}
_SEPARATORS = "-_@/"
_TRIPLE = re.compile(r"v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?")


def in_examples(folder: str) -> bool:
    """Whether a package folder (relative to the repository root) is inside an examples, tests
    or benches folder."""
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
    """Whether a tag's rest is a version (`v1.2.0`, `v1`; not `cli-v1.2.0`, another
    package's) at most the stated one, compared on MAJOR.MINOR.PATCH (any, when the stated
    one is not semver)."""
    tagged = _TRIPLE.match(text)
    if tagged is None:
        return False
    try:
        own = Version.parse(stated or "")
    except ValueError:
        return True
    return tuple(int(n or 0) for n in tagged.groups()) <= (own.major, own.minor, own.patch)

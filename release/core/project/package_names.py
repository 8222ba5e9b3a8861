"""Packages of different ecosystems that share a name but not a version: polars' crate `polars`
(tagged `rs-0.45.0`) beside its PyPI package `polars` (tagged `py-1.20.0`). They are different
products, so each gets a name qualified by its registry, `cargo/polars` and `pypi/polars`: the
name of config keys (`tag_formats`, `[[version.groups]]`, `changelog.package_paths`), of
`--package` and of the output. Neither a crate nor a PyPI name can hold a slash, and an npm
name holds one only after its `@scope`, so the qualified name always reads back."""

from __future__ import annotations

import json
from dataclasses import replace

from release.base.errors import ConfigError
from release.core.project.package import REGISTRY, Package, unqualified


def qualified(found: list[Package]) -> list[Package]:
    """`found` with every name two ecosystems share qualified by its registry, and each
    package's requirements named as the siblings of its own ecosystem are."""
    kinds: dict[str, list[Package]] = {}
    for package in found:
        kinds.setdefault(package.name, []).append(package)
    for name, same in kinds.items():
        twice = [p for p in same if [q.kind for q in same].count(p.kind) > 1]
        if twice:  # one ecosystem's name twice
            files = " and ".join(str(p.manifest) for p in twice)
            raise ConfigError(
                f"two {twice[0].kind} packages are named {name!r} ({files}): independent tags "
                "would collide",
                hint="rename one of them, or mark the one never released as such "
                '(publish = false, "private": true, or the classifier "Private :: Do Not Upload")',
                where=str(twice[1].manifest),
            )
    shared = {name for name, same in kinds.items() if len(same) > 1}
    renamed = [
        replace(p, name=f"{REGISTRY[p.kind]}/{p.name}") if p.name in shared else p for p in found
    ]
    own: dict[tuple[str, str], str] = {(p.kind, unqualified(p.name)): p.name for p in renamed}
    plain = {p.name for p in renamed}
    return [replace(p, requires=_siblings(p, own, plain)) for p in renamed]


def _siblings(
    package: Package, own: dict[tuple[str, str], str], plain: set[str]
) -> dict[str, str | None]:
    """The package's requirements on its siblings, by the siblings' names: the one of its own
    ecosystem first (a crate requires crates), else one of that name (a Python package that
    requires the crate whose wheel it is)."""
    found: dict[str, str | None] = {}
    for dep, requirement in package.requires.items():
        sibling = own.get((package.kind, dep)) or (dep if dep in plain else None)
        if sibling is not None and sibling != package.name:
            found[sibling] = requirement
    return found


def collisions(packages: list[Package]) -> list[str]:
    """In words, for init: the names two ecosystems share, and what was made of them."""
    lines = []
    by_name: dict[str, list[Package]] = {}
    for package in packages:
        if package.name != unqualified(package.name):
            by_name.setdefault(unqualified(package.name), []).append(package)
    for name, same in by_name.items():
        each = " and ".join(
            f"{p.name} {p.version} ({p.manifest.name} in {p.root or '.'})" for p in same
        )
        lines.append(
            f"{name!r} names packages of two ecosystems with different versions: {each} are "
            "released on their own; if they are one product, write "
            f"[[version.groups]] packages = [{', '.join(json.dumps(p.name) for p in same)}]"
        )
    return lines

"""The order in which a workspace's crates can be published: dependencies first.

Edges come from `cargo metadata`: normal and build dependencies on other members, and
dev-dependencies that carry a version requirement (cargo strips those without one when it
packages). graphlib sorts; a cycle is an error that names it. `levels` groups the crates
that may publish concurrently.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, replace
from typing import Any

from release.base.errors import BadInput


@dataclass(frozen=True)
class Crate:
    name: str
    version: str
    manifest: str
    depends_on: frozenset[str]


def publishable(meta: dict[str, Any]) -> dict[str, Crate]:
    members = set(meta["workspace_members"])
    packages = [p for p in meta["packages"] if p["id"] in members]
    names = {p["name"] for p in packages}
    crates = {}
    for package in packages:
        if package.get("publish") == []:  # publish = false
            continue
        deps = set()
        for dep in package["dependencies"]:
            if dep["name"] not in names or dep["name"] == package["name"]:
                continue
            if dep.get("kind") == "dev" and dep.get("req") in (None, "*"):
                continue  # stripped by cargo when it packages the crate
            deps.add(dep["name"])
        crates[package["name"]] = Crate(
            package["name"], package["version"], package["manifest_path"], frozenset(deps)
        )
    for crate in crates.values():
        hidden = sorted(d for d in crate.depends_on if d not in crates)
        if hidden:
            raise BadInput(
                f"crate {crate.name} depends on {', '.join(hidden)}, which is publish = false",
                hint="publish that crate too, or make the dependency a dev-dependency without "
                "a version",
            )
    return crates


def only(crates: dict[str, Crate], name: str) -> dict[str, Crate]:
    """The one crate an independent package's release publishes. Its siblings are not
    waited on here: the cut releases packages in dependency order, each publish waiting
    until the index serves it, and a sibling not released is on the registry already."""
    crate = crates.get(name)
    return {name: replace(crate, depends_on=frozenset())} if crate else {}


def closure(crates: dict[str, Crate], name: str) -> list[str]:
    """`name` and every crate of the workspace it depends on, directly or not: what cargo
    packages together so that the crate resolves siblings not yet on the registry."""
    found: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop()
        if current in found or current not in crates:
            continue
        found.append(current)
        todo += sorted(crates[current].depends_on)
    return found


def levels(crates: dict[str, Crate]) -> list[list[str]]:
    """Crates grouped so that each group depends only on earlier groups."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter(
        {name: crate.depends_on for name, crate in crates.items()}
    )
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise BadInput(
            f"the crates depend on each other in a cycle: {cycle}",
            hint="break the cycle (a dev-dependency without a version does not count)",
        ) from None
    result = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        result.append(ready)
        sorter.done(*ready)
    return result

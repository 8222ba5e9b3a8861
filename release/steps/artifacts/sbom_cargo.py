"""What one crate's SBOM lists, from `cargo metadata`'s resolve graph: the crate and what
its normal and build dependencies reach. An independent package's release describes its
crate, not the whole workspace."""

from __future__ import annotations

from typing import Any


def name_of(meta: dict[str, Any], package_id: str) -> str:
    return str(next(p["name"] for p in meta["packages"] if p["id"] == package_id))


def reached(nodes: dict[str, Any], roots: list[str]) -> dict[str, Any]:
    """The resolve nodes `roots` reach through normal and build dependencies; each node
    keeps only those edges."""
    found: dict[str, Any] = {}
    todo = list(roots)
    while todo:
        current = todo.pop()
        if current in found or current not in nodes:
            continue
        deps = [
            d
            for d in nodes[current].get("deps", [])
            if any(k.get("kind") != "dev" for k in d.get("dep_kinds") or [{}])
        ]
        found[current] = {**nodes[current], "deps": deps}
        todo += [d["pkg"] for d in deps]
    return found

"""Publish order from cargo metadata: topological, levels for concurrency, cycles named."""

from __future__ import annotations

import pytest

from release.base.errors import BadInput
from release.steps.crates.order import levels, publishable


def meta(
    packages: dict[str, list[tuple[str, str | None, str | None]]],
    private: frozenset[str] = frozenset(),
) -> dict:  # type: ignore[type-arg]
    return {
        "workspace_members": [f"{n} 1.0.0" for n in packages],
        "packages": [
            {
                "id": f"{name} 1.0.0",
                "name": name,
                "version": "1.0.0",
                "manifest_path": f"/ws/{name}/Cargo.toml",
                "publish": [] if name in private else None,
                "dependencies": [{"name": d, "kind": kind, "req": req} for d, kind, req in deps],
            }
            for name, deps in packages.items()
        ],
    }


def test_a_diamond_in_levels() -> None:
    crates = publishable(
        meta(
            {
                "core": [("serde", None, "^1")],  # not a member: ignored
                "left": [("core", None, "^1.0.0")],
                "right": [("core", "build", "^1.0.0")],
                "top": [("left", None, "^1"), ("right", None, "^1")],
            }
        )
    )
    assert levels(crates) == [["core"], ["left", "right"], ["top"]]


def test_dev_dependencies_count_only_with_a_version() -> None:
    crates = publishable(
        meta(
            {
                "a": [("b", "dev", None)],  # stripped by cargo package: no edge, no cycle
                "b": [("a", None, "^1")],
                "c": [("b", "dev", "^1.0.0")],  # kept by cargo package: an edge
            }
        )
    )
    assert levels(crates) == [["a"], ["b"], ["c"]]


def test_a_cycle_is_named() -> None:
    crates = publishable(
        meta({"a": [("b", None, "^1")], "b": [("c", None, "^1")], "c": [("a", None, "^1")]})
    )
    with pytest.raises(BadInput, match="in a cycle") as err:
        levels(crates)
    assert all(name in err.value.message for name in "abc")


def test_private_crates_are_left_out_unless_needed() -> None:
    crates = publishable(meta({"tool": [], "lib": []}, private=frozenset({"tool"})))
    assert list(crates) == ["lib"]
    with pytest.raises(BadInput, match="publish = false"):
        publishable(meta({"tool": [], "lib": [("tool", None, "^1")]}, private=frozenset({"tool"})))


def test_a_random_two_hundred_crate_dag() -> None:
    import random

    rnd = random.Random(7)
    graph = {
        f"c{i}": [(f"c{j}", None, "^1") for j in rnd.sample(range(i), min(i, 3))]
        for i in range(200)
    }
    order = levels(publishable(meta(graph)))
    position = {name: n for n, level in enumerate(order) for name in level}
    for name, deps in graph.items():
        assert all(position[d] < position[name] for d, _, _ in deps)

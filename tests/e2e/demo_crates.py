"""The example workspace's crates and what each depends on, for checking publish orders."""

from __future__ import annotations

DEPENDS_ON = {
    "demo-core": set(),
    "demo-colour": set(),
    "demo-proto": {"demo-core"},
    "demo-fr": {"demo-core"},
    "demo-cli": {"demo-core", "demo-proto", "demo-fr", "demo-colour"},
}


def assert_published_once_in_order(versions: list[tuple[str, str]], version: str) -> None:
    """Every crate once, at `version`, each after every crate it depends on."""
    names = [name for name, _ in versions]
    assert sorted(names) == sorted(DEPENDS_ON), versions
    assert {v for _, v in versions} == {version}
    for position, name in enumerate(names):
        assert DEPENDS_ON[name] <= set(names[:position]), f"{name} before its dependencies"

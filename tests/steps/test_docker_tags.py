"""Which tags a release moves: version tags always, moving tags never backwards."""

from __future__ import annotations

from semver import Version

from release.steps.docker.tags import planned_tags

TEMPLATES = ["{version}", "{major}.{minor}", "{major}", "latest"]


def plan(version: str, existing: list[str]) -> tuple[list[str], list[str]]:
    return planned_tags(TEMPLATES, Version.parse(version), f"v{version}", "abc1234def", existing)


def test_a_new_highest_release_moves_every_tag() -> None:
    assert plan("1.2.0", ["1.1.0", "1.1", "1", "latest"]) == (
        ["1.2.0", "1.2", "1", "latest"],
        [],
    )


def test_an_older_line_moves_only_its_own_minor_tag() -> None:
    existing = ["1.1.4", "1.1", "1.2.0", "1.2", "1", "latest", "sha-abc1234"]
    assert plan("1.1.5", existing) == (["1.1.5", "1.1"], ["1", "latest"])


def test_an_older_major_keeps_its_major_tag() -> None:
    existing = ["1.9.0", "1.9", "1", "2.0.0", "2.0", "2", "latest"]
    assert plan("1.9.1", existing) == (["1.9.1", "1.9", "1"], ["latest"])


def test_a_prerelease_gets_only_its_own_tag() -> None:
    assert plan("2.0.0-rc.1", ["1.2.0", "latest"]) == (["2.0.0-rc.1"], [])


def test_newer_prereleases_do_not_hold_moving_tags() -> None:
    assert plan("1.3.0", ["1.2.0", "2.0.0-rc.1", "v2.0.0-rc.2"]) == (
        ["1.3.0", "1.3", "1", "latest"],
        [],
    )


def test_other_templates() -> None:
    found = planned_tags(
        ["{tag}", "{version}-slim", "sha-{short_commit}", "stable"],
        Version.parse("3.0.1"),
        "v3.0.1",
        "0123456789abcdef",
        ["v3.1.0"],
    )
    assert found == (["v3.0.1", "3.0.1-slim", "sha-0123456"], ["stable"])

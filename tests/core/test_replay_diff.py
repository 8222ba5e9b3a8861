"""Every difference a replay finds, classified: non-conventional, policy or defect."""

from __future__ import annotations

import pytest

from release.base.versioning import Version
from release.core.plan.replay_diff import (
    History,
    Placement,
    changelog_difference,
    file_differences,
    placement,
    version_difference,
)

V = Version.parse


@pytest.mark.parametrize(
    ("previous", "ours", "theirs", "history", "kind", "said"),
    [
        ("1.2.0", "1.3.0", "1.3.0", (3, 0, 1), None, None),
        ("1.2.0", None, "1.2.1", (0, 4, 0), "non-conventional", "not conventional"),
        ("1.2.0", None, "1.2.1", (2, 0, 0), "policy", "released anyway"),
        ("1.2.0", "1.2.1", "1.5.0", (1, 0, 0), "policy", "chosen by hand"),
        ("0.44.1", "0.45.0", "0.44.2", (2, 0, 1), "policy", "0.x"),
        ("1.2.0", "2.0.0", "1.3.0", (2, 0, 1), "policy", "bumped less"),
        ("1.2.0", "1.2.1", "1.3.0", (2, 0, 0), "policy", "bumped more"),
        ("1.2.0", "1.2.1", "1.3.0", (2, 1, 0), "non-conventional", "not conventional"),
        (None, "0.1.0", "1.0.0", (2, 0, 0), "policy", "first release"),
    ],
)
def test_version_differences(
    previous: str | None,
    ours: str | None,
    theirs: str,
    history: tuple[int, int, int],
    kind: str | None,
    said: str | None,
) -> None:
    conventional, other, features = history
    read = History(V(previous) if previous else None, conventional, other, 0, features)
    found = version_difference("", V(ours) if ours else None, V(theirs), read)
    assert (found.kind if found else None) == kind
    assert found is None or (said is not None and said in found.why)


def test_file_differences() -> None:
    found = file_differences(
        ours={"Cargo.toml", "CHANGELOG.md", "xtask/Cargo.toml"},
        theirs={"Cargo.toml", "npm/linux/package.json", "README.md", "Cargo.lock"},
        carries_version={"npm/linux/package.json"},
        changelogs={"CHANGELOG.md"},
    )
    kinds = {(d.ours, d.theirs): d.kind for d in found}
    assert kinds == {
        ("-", "npm/linux/package.json"): "defect",  # a manifest missed
        ("-", "Cargo.lock"): "defect",  # a lock file left behind
        ("-", "README.md"): "policy",  # edited by hand, no version in it
        ("CHANGELOG.md", "-"): "policy",  # the project writes no changelog
        ("xtask/Cargo.toml", "-"): "defect",  # bumped, the project does not
    }


def test_changelog_placement_and_differences() -> None:
    diff = "@@ -2,0 +3,4 @@\n+## [1.1.0] - 2026\n+\n+- x\n+\n"
    ours = placement(diff)
    assert ours == Placement(3, False, "##")
    assert changelog_difference("CHANGELOG.md", ours, Placement(3, False, "##")) is None
    level = changelog_difference("CHANGELOG.md", ours, Placement(3, False, "####"))
    assert level is not None and level.kind == "defect" and "level" in level.why
    rewrote = placement("@@ -5,1 +5,1 @@\n-## Unreleased\n+## 1.1.0\n")
    assert rewrote == Placement(5, True, "##")
    found = changelog_difference("CHANGELOG.md", ours, rewrote)
    assert found is not None and found.kind == "policy"
    setext = placement("@@ -3,0 +4,3 @@\n+[1.1.0] - 2026\n+--------------\n+\n")
    assert setext is not None and setext.level == "-"


def test_a_dependents_raised_requirement_is_the_projects_policy() -> None:
    """cargo-binstall raises crates/bin's requirement on every library it releases."""
    (found,) = file_differences(
        ours=set(),
        theirs={"crates/bin/Cargo.toml"},
        carries_version={"crates/bin/Cargo.toml"},
        changelogs=set(),
        dependents=frozenset({"crates/bin/Cargo.toml"}),
    )
    assert found.kind == "policy" and "requirement" in found.why


def test_a_release_commit_that_adds_no_heading_is_the_projects_policy() -> None:
    """mdBook 0.5.0: the section was written before; the release commit edits inside it."""
    theirs = placement("@@ -117,0 +118,2 @@\n+  - a late entry\n+    [#2942](u)\n")
    assert theirs == Placement(118, False, None)
    found = changelog_difference("CHANGELOG.md", Placement(3, False, "##"), theirs)
    assert found is not None and found.kind == "policy"


def test_a_hand_written_changelog_dated_by_the_release_commit_is_policy() -> None:
    # pallets/flask: "Unreleased" becomes "Released 2026-02-18" under a heading already there.
    found = file_differences(
        set(), {"CHANGES.rst"}, set(), {"CHANGES.rst"}, by_hand=frozenset({"CHANGES.rst"})
    )
    assert [(d.kind, d.theirs) for d in found] == [("policy", "CHANGES.rst")]
    [missed] = file_differences(set(), {"CHANGES.rst"}, set(), {"CHANGES.rst"})
    assert missed.kind == "defect"  # a section the project added, which ours did not


def test_a_lock_file_the_toolkit_does_not_write_is_the_projects_dependency_update() -> None:
    # poetry: poetry.lock locks poetry-core 2.2.0, released with poetry 2.2.0.
    [found] = file_differences(set(), {"poetry.lock"}, {"poetry.lock"}, set())
    assert found.kind == "policy"
    [ours] = file_differences(set(), {"uv.lock"}, {"uv.lock"}, set())
    assert ours.kind == "defect"  # uv.lock's own entry is ours to bump

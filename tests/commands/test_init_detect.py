"""What `release init` reads from workflows and tags, one shape at a time."""

from __future__ import annotations

import pytest

from release.commands.init_detect import _trigger, detect_all
from tests.conftest import Repo


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        (
            'on:\n  push:\n    tags:\n      - "v*.*.*"\n      - "!v*-rc*"\njobs: {}\n',
            "a pushed tag v*.*.*, !v*-rc*",
        ),
        ("on:\n  push:\n    tags: ['v*', \"release-*\"]  # both\n", "a pushed tag v*, release-*"),
        ('"on": {push: {tags: [v*]}}\n', "a pushed tag v*"),
        ("on:\n  push:\n    tags:\n\njobs: {}\n", "a pushed tag"),
        ("on:\n  release:\n    types: [published]\n", "a GitHub release"),
        (
            "on: [push, pull_request]\njobs:\n  x:\n    if: startsWith(github.ref, 'refs/tags/')\n",
            "every push; its jobs check for refs/tags",
        ),
        ("on:\n  push:\n    branches: [main]\n    tags: ['!**']\n", None),
        (
            "on:\n  push:\n    branches: [main]\n"
            "jobs:\n  x:\n    if: startsWith(github.ref, 'refs/tags')\n",
            None,
        ),
        ("on: [push]\njobs: {}\n", None),
        ("name: no trigger at all\n", None),
    ],
)
def test_workflow_triggers(text: str, trigger: str | None) -> None:
    assert _trigger(text) == trigger


@pytest.mark.parametrize(
    ("tags", "tag_format", "last"),
    [
        (["1.0.0", "1.1.0", "v0.9.0"], "{version}", "1.1.0"),
        (["tool-v1.0.0", "tool-v1.2.0", "docs-2024"], "tool-v{version}", "tool-v1.2.0"),
        (["nightly"], "v{version}", None),
    ],
)
def test_the_tag_format_in_use(repo: Repo, tags: list[str], tag_format: str, last: str) -> None:
    for tag in tags:
        repo.commit(f"feat: {tag}")
        repo.tag(tag)
    found = detect_all(repo.path)
    assert (found.tag_format, found.last_tag) == (tag_format, last)
    assert found.name == "project" and found.name_from == "the folder's name"
    assert found.branch == "main" and "current branch" in found.branch_from

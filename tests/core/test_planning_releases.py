"""The last release from HEAD, found from the nearest tag up, is the one a walk over every
tag finds: on maintenance lines, with prereleases above the main line and tags excluded."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release.base.versioning import TagFormat, last_final_release, last_release
from release.core.plan.planning import find_releases
from release.tools.git import Git

from ..tools.histories import maintained

FMT = TagFormat("v{version}")


def walked(git: Git, skip: set[str]) -> tuple[object, object]:
    reachable = set(git.tags_merged(FMT.glob)) - skip
    return last_release(reachable, FMT), last_final_release(reachable, FMT)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_releases_as_the_whole_walk(tmp_path: Path, seed: int) -> None:
    dest = tmp_path / "repo"
    tags = maintained(dest, seed)
    git = Git(dest)
    branches = subprocess.run(
        ["git", "for-each-ref", "--format=%(refname:strip=2)", "refs/heads"],
        cwd=dest,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(branches) > 2
    checked = 0
    for branch in branches:
        subprocess.run(["git", "checkout", "-q", "-f", branch], cwd=dest, check=True)
        at_head = set(git.tags_at_head("v*"))
        for skip in ({*()}, at_head, {tags[-1]}):
            assert find_releases(git, FMT, set(skip)) == walked(git, set(skip)), (branch, skip)
            checked += 1
    assert checked == 3 * len(branches)


def test_a_prerelease_above_the_nearest_final(tmp_path: Path) -> None:
    dest = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)

    def commit(message: str) -> None:
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                message,
            ],
            cwd=dest,
            check=True,
        )

    def tag(name: str) -> None:
        subprocess.run(["git", "tag", name], cwd=dest, check=True)

    commit("feat: a")
    tag("v1.0.0")
    commit("feat: b")
    tag("v2.0.0-rc.1")
    commit("fix: c")
    tag("v1.0.1")  # nearest, but lower than the reachable prerelease
    commit("fix: d")
    git = Git(dest)
    previous, base = find_releases(git, FMT)
    assert (previous and previous.tag, base and base.tag) == ("v2.0.0-rc.1", "v1.0.1")
    assert (previous, base) == walked(git, set())

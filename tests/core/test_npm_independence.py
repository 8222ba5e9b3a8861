"""A JavaScript monorepo whose packages are released on their own (changesets): independent,
from the packages' versions and their tags, with no config."""

from __future__ import annotations

import json

from release.commands.next import next_version
from release.core.plan.npm_independence import npm_independent
from release.core.plan.release_mode import is_independent
from release.core.settings.config import Config
from release.tools.git import Git
from tests.conftest import Repo


def _packages(repo: Repo, versions: dict[str, str]) -> None:
    repo.write("package.json", json.dumps({"name": "root", "private": True}))
    for name, version in versions.items():
        folder = name.rpartition("/")[2]
        data = {"name": name, "version": version}
        repo.write(f"packages/{folder}/package.json", json.dumps(data, indent=2) + "\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: packages")


def test_packages_tagged_on_their_own_are_independent(repo: Repo) -> None:
    _packages(repo, {"@changesets/cli": "3.0.1", "@changesets/write": "1.0.1"})
    repo.tag("@changesets/cli@3.0.1")
    repo.tag("@changesets/write@1.0.1")
    git = Git(repo.path)
    assert npm_independent(git) and is_independent(git, Config())
    repo.commit("fix: write a file once", file="packages/write/index.js")
    result = next_version(repo.path, None)
    assert [(p.name, p.version) for p in result.released] == [("@changesets/write", "1.0.2")]


def test_versions_without_their_tags_say_nothing(repo: Repo) -> None:
    # A docs site's own version beside the library's: no tag names either: one version.
    _packages(repo, {"lib": "2.0.0", "docs": "0.0.1"})
    repo.tag("v2.0.0")
    assert not npm_independent(Git(repo.path))


def test_one_version_for_all_is_lockstep(repo: Repo) -> None:
    _packages(repo, {"@vue/core": "3.5.0", "@vue/runtime": "3.5.0"})
    repo.tag("@vue/core@3.5.0")
    repo.tag("@vue/runtime@3.5.0")
    assert not npm_independent(Git(repo.path))

"""A group released under one tag (`[[version.groups]] tag_format`) and packages not released
(`[version] exclude`): planned from the group's tags, cut as one commit and one tag, refused
with file:line when the config says something impossible."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.plan.release_mode import independent_plan
from release.core.settings import config
from release.tools.git import Git
from tests.conftest import Repo, run_release

CRATE = '[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'
CONFIG = """[version]
mode = "independent"
exclude = ["ui-tests"]

[[version.groups]]
packages = ["core", "core-macros"]
tag_format = "v{version}"

[git]
push = true

[changelog]
package_paths = { core-macros = "CHANGELOG.md" }

[crates]
enabled = false

[build]
python = false
sbom = false
"""


@pytest.fixture
def grouped(repo: Repo) -> Repo:
    """pyo3's shape: two crates at one version under `v` tags, a test crate at 0.1.0, and
    a helper crate released on its own."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["core", "macros", "ui", "helper"]\n')
    for folder, name, version in [
        ("core", "core", "0.20.0"),
        ("macros", "core-macros", "0.20.0"),
        ("ui", "ui-tests", "0.1.0"),
        ("helper", "helper", "1.0.0"),
    ]:
        repo.write(f"{folder}/Cargo.toml", CRATE.format(name=name, version=version))
        repo.write(f"{folder}/src/lib.rs", "")
    repo.write("CHANGELOG.md", "# Changelog\n\n## [0.20.0] - 2026-01-01\n\n- first\n")
    repo.write("release-toolkit.toml", CONFIG)
    repo.commit("chore: start")
    repo.tag("v0.20.0")
    repo.tag("helper-v1.0.0")
    return repo


def _plans(repo: Repo) -> dict[str, tuple[str | None, str | None]]:
    git = Git.discover(repo.path)
    plans = independent_plan(git, config.load(repo.path), None)
    assert plans is not None
    return {p.package.name: (str(p.version) if p.version else None, p.tag) for p in plans}


def test_a_group_is_planned_from_its_one_tag(grouped: Repo) -> None:
    grouped.commit("feat: a macro", file="macros/src/lib.rs")
    grouped.commit("fix: the ui tests", file="ui/src/lib.rs")  # excluded: releases nothing
    assert _plans(grouped) == {
        "core": ("0.21.0", "v0.21.0"),  # released with the group, from v0.20.0
        "core-macros": ("0.21.0", "v0.21.0"),
        "helper": (None, None),
    }


def test_a_group_is_cut_as_one_commit_and_one_tag(grouped: Repo, tmp_path: Path) -> None:
    grouped.add_remote(tmp_path)
    grouped.commit("fix: a leak", file="core/src/lib.rs")
    grouped.commit("fix: a macro's span", file="macros/src/lib.rs")
    grouped.commit("fix: the helper", file="helper/src/lib.rs")  # released on its own
    cut = run_release(grouped.path, "cut", "--yes")
    assert cut.code == 0, cut.err + cut.out
    assert grouped.git("tag", "--points-at", "HEAD").split() == ["helper-v1.0.1", "v0.20.1"]
    assert grouped.git("ls-remote", "origin", "refs/tags/v0.20.1")
    for manifest in ("core/Cargo.toml", "macros/Cargo.toml"):
        assert 'version = "0.20.1"' in (grouped.path / manifest).read_text()
    assert 'version = "0.1.0"' in (grouped.path / "ui/Cargo.toml").read_text()
    changelog = (grouped.path / "CHANGELOG.md").read_text()
    assert changelog.count("## [0.20.1]") == 1  # the group's one changelog, written once
    assert "A leak" in changelog and "A macro's span" in changelog  # every member's commits
    assert "helper" not in changelog.lower()
    subject = grouped.git("log", "-1", "--format=%s")
    assert subject == "chore(release): v0.20.1, helper-v1.0.1"  # the group's tag said once


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (
            '[[version.groups]]\npackages = ["a", "b"]\ntag_format = "v"\n',
            1,
            '"{version}" exactly once',
        ),
        (
            '[[version.groups]]\npackages = ["a", "b"]\ntag_format = "v{version}; rm"\n',
            1,
            "may hold only",
        ),
        (
            '[version]\ngroups = [{ packages = ["a", "b"] }, { packages = ["b", "c"] }]\n',
            2,
            "'b' is in two groups",
        ),
        (
            '[[version.groups]]\npackages = ["a", "b"]\nfollowers = ["c"]\n',
            1,
            "followers are released under the group's tag_format",
        ),
        (
            '[version]\nexclude = ["a"]\ngroups = [{ packages = ["a", "b"] }]\n',
            2,
            "'a' is in a group",
        ),
    ],
)
def test_impossible_groups_are_refused_at_their_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = tmp_path / "release-toolkit.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        config.load(tmp_path)
    assert says in err.value.message
    assert err.value.where == f"{path}:{line}"


def test_followers_are_cut_at_their_own_versions_under_the_group_tag(
    repo: Repo, tmp_path: Path
) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["tool", "build", "cache"]\n')
    for folder, name, version in [
        ("tool", "tool", "0.9.0"),
        ("build", "tool-build", "0.9.0"),
        ("cache", "tool-cache", "0.0.41"),
    ]:
        repo.write(f"{folder}/Cargo.toml", CRATE.format(name=name, version=version))
        repo.write(f"{folder}/src/lib.rs", "")
    follower = CONFIG.replace('exclude = ["ui-tests"]', "").replace(
        'packages = ["core", "core-macros"]\ntag_format = "v{version}"',
        'packages = ["tool", "tool-build"]\ntag_format = "{version}"\nfollowers = ["tool-cache"]',
    )
    repo.write("release-toolkit.toml", follower.replace("core-macros", "tool-build"))
    repo.commit("chore: start")
    repo.tag("0.9.0")
    repo.add_remote(tmp_path)
    repo.commit("fix: a cache key", file="cache/src/lib.rs")  # a follower's change releases
    assert _plans(repo) == {
        "tool": ("0.9.1", "0.9.1"),
        "tool-build": ("0.9.1", "0.9.1"),
        "tool-cache": ("0.0.42", "0.9.1"),  # its own version, the group's tag
    }
    cut = run_release(repo.path, "cut", "--yes")
    assert cut.code == 0, cut.err + cut.out
    assert repo.git("tag", "--points-at", "HEAD").split() == ["0.9.1"]
    assert 'version = "0.0.42"' in (repo.path / "cache/Cargo.toml").read_text()
    assert 'version = "0.9.1"' in (repo.path / "build/Cargo.toml").read_text()

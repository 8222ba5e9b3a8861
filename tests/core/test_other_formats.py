"""A repository tagged in another format than the default is not "never released"."""

from __future__ import annotations

import pytest

from release.base.errors import ConfigError
from release.core.plan.planning import plan
from tests.conftest import Repo


def _tagged(repo: Repo, *tags: str) -> None:
    for tag in tags:
        repo.commit(f"feat: {tag}")
        repo.tag(tag)
    repo.commit("fix: a fix")


def test_bare_version_tags_without_a_config_are_named(repo: Repo) -> None:
    _tagged(repo, "2.3.0", "2.4.0", "2.4.1")  # poetry's tags
    with pytest.raises(ConfigError) as raised:
        plan(repo.path)
    assert "tagged '{version}' (the last one 2.4.1)" in str(raised.value)
    assert 'tag_format = "{version}"' in (raised.value.hint or "")


def test_a_chosen_format_starts_fresh(repo: Repo) -> None:
    _tagged(repo, "2.4.1")
    repo.write("release-toolkit.toml", '[version]\ntag_format = "app-v{version}"\n')
    assert str(plan(repo.path).version) == "0.1.0"  # the user's call: a new tag line


def test_prereleases_alone_are_no_release_line(repo: Repo) -> None:
    _tagged(repo, "1.0.0-rc.1")
    assert str(plan(repo.path).version) == "0.1.0"


def test_the_default_format_in_use_is_no_question(repo: Repo) -> None:
    _tagged(repo, "2.4.1", "v2.5.0")  # one old bare tag, then the default format
    assert str(plan(repo.path).version) == "2.5.1"

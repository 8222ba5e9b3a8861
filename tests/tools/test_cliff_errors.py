"""git-cliff's failures told in full: the cause, the version a template needs, the remote."""

from __future__ import annotations

import pytest

from release.base.errors import ConfigError
from release.base.versioning import TagFormat
from release.tools import cliff, cliff_errors

from ..conftest import Repo

PATTERN = TagFormat("v{version}").regex
BODY = '[changelog]\nbody = """{{ version }}{% for c in commits %}X{% endfor %}"""\n'


def _render(repo: Repo, config_text: str) -> ConfigError:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two")
    config = repo.write("cliff.toml", config_text)
    with pytest.raises(ConfigError) as err:
        cliff.render(repo.path, config, rev_range=None, tag_pattern=PATTERN)
    return err.value


def test_an_unreachable_remote_names_it_and_how_to_render_without_it(repo: Repo) -> None:
    # A GitHub API on a closed loopback port: git-cliff panics, as it does without network.
    remote = '[remote.github]\nowner = "o"\nrepo = "r"\napi_url = "http://127.0.0.1:9"\n'
    body = BODY.replace("X", "{{ c.remote.username | default(value='') }}")
    error = _render(repo, body + remote)
    assert "[remote.github]" in error.message
    assert "RUST_BACKTRACE" not in error.message
    assert error.detail is not None and "Could not get github metadata" in error.detail
    assert "backtrace" not in error.detail.lower()
    assert error.hint is not None and "GIT_CLIFF_OFFLINE=true" in error.hint
    # and the hint works: offline, the same config renders
    repo.write("cliff.toml", body + "[remote]\noffline = true\n" + remote)
    text = cliff.render(repo.path, repo.path / "cliff.toml", rev_range=None, tag_pattern=PATTERN)
    assert text.startswith("v1.0.0") or "v1.0.0" in text


def test_an_unknown_filter_is_named_with_the_real_git_cliff(repo: Repo) -> None:
    error = _render(repo, BODY.replace("X", "{{ c.message | no_such_filter }}"))
    assert "'no_such_filter'" in error.message and "no git-cliff release has" in error.message
    assert error.detail is not None and "Filter 'no_such_filter' not found" in error.detail


def test_a_project_template_of_the_current_git_cliff_renders(repo: Repo) -> None:
    # git-cliff's own cliff.toml groups commits with `commit_groups` (2.14)
    body = (
        '[changelog]\nbody = """{% for entry in commits | commit_groups %}'
        '{{ entry.group }}:{{ entry.commits | length }} {% endfor %}"""\n'
    )
    repo.commit("feat: one")
    repo.commit("fix: two")
    config = repo.write("cliff.toml", body)
    text = cliff.render(repo.path, config, rev_range=None, tag_pattern=PATTERN)
    assert "feat" in text or ":" in text


STDERR_2_12 = (
    "\x1b[32;1mINFO \x1b[0m git_cliff > Using configuration from: cliff.toml\n"
    "\x1b[31;1mERROR\x1b[0m git_cliff > Template render error:\n"
    "Filter 'commit_groups' not found\n"
)


@pytest.mark.parametrize(
    ("installed", "needs"), [("2.12.0", True), ("2.13.1", True), ("2.14.2", False)]
)
def test_a_template_for_a_newer_git_cliff_says_which(installed: str, needs: bool) -> None:
    told = cliff_errors.explain(STDERR_2_12, installed, "cliff.toml")
    assert told.cause == "Template render error:\nFilter 'commit_groups' not found"
    assert ("git-cliff 2.14.0 or newer" in told.message) is needs
    assert (told.hint is not None and "git-cliff>=2.14.0" in told.hint) is needs


def test_a_field_of_a_newer_git_cliff() -> None:
    stderr = (
        "ERROR git_cliff > Template render error:\n"
        "Variable `commit.statistics.additions` not found in context while rendering 'body'\n"
    )
    told = cliff_errors.explain(stderr, "2.12.0", "cliff.toml")
    assert "field 'statistics' of git-cliff 2.13.0" in told.message

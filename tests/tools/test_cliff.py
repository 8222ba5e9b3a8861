"""git-cliff as we run it: the commits it parses, the sections it renders, config errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.base.versioning import TagFormat
from release.tools import cliff

from ..conftest import Repo

PATTERN = TagFormat("v{version}").regex


def test_read_commits_types_scopes_breaking_merges(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix(parser): two")
    repo.commit("perf!: three")
    repo.commit("chore: four\n\nBody text.\n\nBREAKING CHANGE: gone")
    repo.commit("Update README")
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("feat(side): five", file="side.txt")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "side", "-m", "Merge branch 'side'")
    commits = cliff.read_commits(repo.path, "v1.0.0..HEAD")
    summary = [(c.type, c.scope, c.breaking, c.merge) for c in commits]
    assert sorted(summary, key=str) == sorted(
        [
            ("fix", "parser", False, False),
            ("perf", None, True, False),
            ("chore", None, True, False),
            (None, None, False, False),
            ("feat", "side", False, False),
            (None, None, False, True),
        ],
        key=str,
    )
    assert "feat: one" not in [c.summary for c in commits]  # the range is respected


def test_whole_history_when_there_is_no_tag(repo: Repo) -> None:
    for i in range(3):
        repo.commit(f"fix: {i}")
    assert [c.description for c in cliff.read_commits(repo.path, None)] == ["0", "1", "2"]


def test_render_a_section_with_the_default_config(repo: Repo) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("feat(api): add search")
    repo.commit("fix: crash on empty input")
    repo.commit("chore: tidy")
    text = cliff.render(
        repo.path,
        cliff.default_config(),
        rev_range="v1.0.0..HEAD",
        tag_pattern=PATTERN,
        tag="v1.1.0",
        strip="all",
    )
    assert text.startswith("## [1.1.0] - ")
    assert "### Features\n- **api:** Add search" in text
    assert "### Bug Fixes\n- Crash on empty input" in text
    assert "tidy" not in text and "One" not in text


def test_config_syntax_error_names_the_line(tmp_path: Path) -> None:
    config = tmp_path / "cliff.toml"
    config.write_text('[changelog]\nbody = """\n{{ x }}\n"""\n[git\n')
    with pytest.raises(ConfigError) as err:
        cliff.load_config(config)
    assert err.value.where == f"{config}:5"


def test_config_without_a_body(tmp_path: Path) -> None:
    config = tmp_path / "cliff.toml"
    config.write_text("[git]\nconventional_commits = true\n")
    with pytest.raises(ConfigError, match="no \\[changelog\\] body"):
        cliff.load_config(config)


def test_the_projects_own_cliff_toml_is_the_default() -> None:
    """release-toolkit's own cliff.toml is what `release init` hands out."""
    own = Path(__file__).resolve().parents[2] / "cliff.toml"
    assert own.read_text() == cliff.default_config().read_text()

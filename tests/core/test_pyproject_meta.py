"""Poetry's `[tool.poetry]` metadata is a Python package's as much as PEP 621's `[project]`
(rich, and every Poetry 1 project: the version lives there)."""

from __future__ import annotations

from pathlib import Path

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.manifests import manifests_for
from release.core.project.packages import discover
from release.core.settings.config import Config

POETRY = """[tool.poetry]
name = "rich"
version = "14.3.3"  # the only version
description = "x"

[tool.poetry.dependencies]
python = ">=3.8"
pygments = "^2.13.0"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def test_a_poetry_project_states_and_bumps_its_version(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(POETRY)
    cfg = Config()
    layout = detect(tmp_path, cfg)
    assert layout.python == [tmp_path / "pyproject.toml"]
    manifests = manifests_for(tmp_path, cfg, layout)
    sites = [s for m in manifests for s in m.current()]
    assert [(s.version, s.line, s.label) for s in sites] == [("14.3.3", 3, "[tool.poetry] version")]
    texts: dict[Path, str] = {}
    for manifest in manifests:
        texts.update(manifest.bumped(Version.parse("14.4.0-rc.1")))
    assert texts[tmp_path / "pyproject.toml"] == POETRY.replace('"14.3.3"', '"14.4.0rc1"')


def test_both_tables_are_bumped_when_both_state_it(tmp_path: Path) -> None:
    both = '[project]\nname = "x"\nversion = "1.0.0"\n\n[tool.poetry]\nversion = "1.0.0"\n'
    (tmp_path / "pyproject.toml").write_text(both)
    cfg = Config()
    [manifest] = manifests_for(tmp_path, cfg, detect(tmp_path, cfg))
    [text] = manifest.bumped(Version.parse("1.1.0")).values()
    assert text == both.replace("1.0.0", "1.1.0")


def test_a_poetry_package_is_a_package_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(POETRY)
    cfg = Config()
    [package] = discover(tmp_path, cfg, detect(tmp_path, cfg))
    assert (package.name, str(package.version), package.kind) == ("rich", "14.3.3", "python")

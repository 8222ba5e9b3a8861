from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.settings.config import Config, load


def write(tmp_path: Path, text: str, name: str = "release.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_no_config_means_defaults(tmp_path: Path) -> None:
    assert load(tmp_path) == Config()


def test_release_toml_is_read(tmp_path: Path) -> None:
    write(tmp_path, '[version]\ntag_format = "pkg@{version}"\n[version.bump]\nfeat = "patch"\n')
    cfg = load(tmp_path)
    assert cfg.version.tag_format == "pkg@{version}"
    assert cfg.version.bump == {"feat": "patch"}
    assert cfg.source == tmp_path / "release.toml"


def test_tool_release_in_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.release.git]\nbranch = ["main", "lts"]\n',
        "pyproject.toml",
    )
    assert load(tmp_path).git.branches == ["main", "lts"]


def test_misspelt_key_names_file_line_and_nearest_key(tmp_path: Path) -> None:
    path = write(tmp_path, '# comment\n[version]\ninitial = "1.0.0"\ntag_fromat = "v{version}"\n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert err.value.where == f"{path}:4"
    assert "version.tag_fromat" in err.value.message
    assert err.value.hint == "did you mean 'tag_format'?"


def test_misspelt_section(tmp_path: Path) -> None:
    path = write(tmp_path, '[changlog]\npath = "CHANGES.md"\n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert err.value.where == f"{path}:1"
    assert err.value.hint == "did you mean 'changelog'?"


def test_misspelt_key_in_pyproject_names_the_tool_table(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[project]\nname = "x"\n[tool.release.git]\nremot = "up"\n', "pyproject.toml"
    )
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert "tool.release.git.remot" in err.value.message
    assert err.value.where == f"{path}:4"
    assert "remote" in (err.value.hint or "")


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('[version]\nbreaking = "huge"\n', "version.breaking", 2),
        ('[version.bump]\nfeat = "big"\n', "version.bump.feat", 2),
        ('[version]\ntag_format = "release"\n', "version.tag_format", 2),
        ('[version]\ninitial = "1.0"\n', "version.initial", 2),
        ('[git]\npush = "sometimes"\n', "git.push", 2),
        ("[git]\nbranch = 3\n", "git.branch", 2),
        ('[changelog]\nenabled = "no way"\n', "changelog.enabled", 2),
        ("[manifests]\npython = 7\n", "manifests.python", 2),
        ('[[manifests.extra]]\nsearch = "x"\n', "manifests.extra.0.path", 1),
    ],
)
def test_wrong_values_name_key_and_line(tmp_path: Path, text: str, key: str, line: int) -> None:
    path = write(tmp_path, "# release config\n" + text)
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert key in err.value.message
    assert err.value.where == f"{path}:{line + 1}"
    assert err.value.hint


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[version]\ntag_format = "v{version}"\ninitial = \n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert err.value.where == f"{path}:3"
    assert "not valid TOML" in err.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[docker]\ninsecure = "yes"\n', "'docker.insecure': \"yes\" is not a boolean"),
        ("[build]\nsbom = 1\n", "'build.sbom': 1 is not a boolean"),
        ('[crates]\njobs = "2"\n', "'crates.jobs': \"2\" is not a whole number"),
        ("[crates]\nretries = 2.5\n", "'crates.retries': 2.5 is not a whole number"),
        ('[github]\nwrite_interval = "1"\n', "'github.write_interval': \"1\" is not a number"),
        ("[git]\nremote = 1\n", "'git.remote': 1 is not a string"),
    ],
)
def test_booleans_numbers_and_strings_are_strict(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "# a comment\n" + text)
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert err.value.where == f"{path}:3"
    assert message in err.value.message


def test_whole_numbers_are_numbers_and_tables_still_load(tmp_path: Path) -> None:
    write(tmp_path, "[crates]\nwait_seconds = 10\n[[manifests.extra]]\npath = 'x'\n")
    cfg = load(tmp_path)
    assert cfg.crates.wait_seconds == 10 and cfg.manifests.extra[0].search == "{version}"


@pytest.mark.parametrize("section", ["build", "docker", "homebrew"])
def test_the_package_a_publisher_follows(tmp_path: Path, section: str) -> None:
    """`[docker] package` (and build's, homebrew's): a name, checked against the packages
    by the step; an empty or padded name is refused here, at its line."""
    write(tmp_path, f'[{section}]\npackage = "tool-cli"\n')
    assert getattr(load(tmp_path), section).package == "tool-cli"
    path = write(tmp_path, f'[{section}]\npackage = " "\n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert err.value.message == f"invalid value for '{section}.package': ' ' is not a package name"
    assert err.value.where == f"{path}:2"

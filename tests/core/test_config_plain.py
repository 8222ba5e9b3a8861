"""A config validated without pydantic must be what pydantic makes of it, and anything
pydantic might reject must still reach pydantic (for its error, at its file and line)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from pydantic import TypeAdapter

from release.base._toml import tomllib
from release.base.errors import ConfigError
from release.core.settings import config as config_module
from release.core.settings.config import Config, load
from release.core.settings.config_validation import _UNSURE, _plain
from tests.cli.test_entry import imported
from tests.conftest import Repo

VALID = [
    '[version]\nmode = "independent"\n',
    '[version]\ntag_format = "pkg@{version}"\ninitial = "1.0.0"\nbreaking_while_zero = "major"\n'
    '[version.bump]\nfeat = "patch"\ndocs = "none"\n',
    '[version]\npackage_tag_format = "{name}/v{version}"\ndependents = "minor"\n'
    'shared_paths = []\ntag_formats = { core = "core-{version}" }\n'
    '[[version.groups]]\npackages = ["app", "wheel"]\n',
    '[project]\nname = "tool"\n[git]\nbranch = ["main", "lts"]\npush = false\n'
    'mode = "tag-trigger"\n',
    '[git]\nbranch = "trunk"\nsigning_key = "ABCD"\n[changelog]\nenabled = false\n',
    '[manifests]\ncargo = ""\npython = ["py/pyproject.toml"]\n'
    '[[manifests.extra]]\npath = "README.md"\n'
    '[[manifests.extra]]\npath = "x"\nsearch = "v{version}"\n',
    '[build]\ntargets = ["x86_64-unknown-linux-gnu"]\nzigbuild = true\n'
    '[[build.binaries]]\nname = "tool"\ninclude = ["LICENSE"]\n',
    "[crates]\nwait_seconds = 10\nretries = 2\njobs = 4\n",  # an int where a float goes
    "[crates]\nwait_seconds = 2.5\n[sign]\nenabled = false\n",
    '[pypi]\nrepository_url = "https://test.pypi.org/legacy/"\n',
    '[docker]\nimages = ["ghcr.io/acme/tool", "docker.io/acme/tool"]\nbuild = true\n',
    '[github]\nrepository = "acme/tool"\nwrite_interval = 0\n[slack]\nenabled = true\n',
    '[homebrew]\ntap = "https://github.com/acme/homebrew-tap"\npull_request = true\n',
    '[email]\nhost = "smtp.example.com"\nto = ["a@example.com"]\nport = 465\n',
    "[discord]\nenabled = false\n[teams]\nenabled = true\n"
    '[mastodon]\ninstance = "https://fosstodon.org"\nvisibility = "unlisted"\n',
]

REJECTED_OR_UNSURE = [
    '[version]\nmode = "both"\n',  # not one of the literals
    '[version]\ntag_fromat = "v{version}"\n',  # unknown key
    '[version]\ntag_format = "v"\n',  # __post_init__ says no
    '[[version.groups]]\npackages = ["alone"]\n',
    "[version.bump]\nfeat = 1\n",
    '[git]\npush = "yes"\n',  # no boolean
    "[crates]\njobs = 2.0\n",  # no whole number
    "[crates]\nwait_seconds = true\n",
    "[crates]\nwait_seconds = inf\n",
    "[project]\nname = 1979-05-27\n",  # a date: pydantic decides what it makes of it
    '[email]\nto = "a@example.com"\n',  # a string where a list goes
    '[[build.binaries]]\ninclude = ["LICENSE"]\n',  # `name` missing
    "version = 1\n",  # a table expected
]


def section_hints() -> dict[str, Any]:
    return get_type_hints(Config)


@pytest.mark.parametrize("text", VALID)
def test_a_valid_config_is_what_pydantic_makes_of_it(tmp_path: Path, text: str) -> None:
    data = tomllib.loads(text)
    hints = section_hints()
    for key, value in data.items():
        plain = _plain(hints[key], value)
        assert plain is not _UNSURE, key
        assert plain == TypeAdapter(hints[key]).validate_json(json.dumps(value))
        for f in fields(plain):  # the same types too (300 is 300.0 where a float goes)
            assert type(getattr(plain, f.name)) is type(
                getattr(TypeAdapter(hints[key]).validate_json(json.dumps(value)), f.name)
            )
    (tmp_path / "release.toml").write_text(text)
    assert isinstance(load(tmp_path), Config)


@pytest.mark.parametrize("text", REJECTED_OR_UNSURE)
def test_what_pydantic_might_reject_is_left_to_it(tmp_path: Path, text: str) -> None:
    data = tomllib.loads(text)
    hints = section_hints()
    sections = {f.name for f in fields(Config)}
    assert any(
        key not in sections or _plain(hints[key], value) is _UNSURE for key, value in data.items()
    )


def test_a_rejected_key_is_still_named_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "release.toml"
    path.write_text('[version]\nmode = "independent"\n\n[crates]\njobs = 0\n')
    with pytest.raises(ConfigError) as err:
        config_module.load(tmp_path)
    assert err.value.where == f"{path}:5"
    assert "crates.jobs" in err.value.message


def test_release_next_with_a_valid_config_does_not_load_pydantic(repo: Repo) -> None:
    repo.write(
        "release.toml",
        '[version]\ntag_format = "v{version}"\n[docker]\nimages = ["ghcr.io/acme/tool"]\n'
        '[crates]\nwait_seconds = 60\n[github]\nrepository = "acme/tool"\n',
    )
    repo.commit("feat: first")
    modules = imported(repo, "next")
    assert "release.core.plan.planning" in modules  # it did plan the release
    assert not any(m.split(".")[0] in ("pydantic", "pydantic_core") for m in modules)

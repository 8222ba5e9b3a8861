"""The bad-input matrix: each case is one mistake a user makes. Each asserts the exit code,
one clear first line naming what was wrong (and where, for files), a hint, and that the
repository and every loopback destination are as they were."""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from release.core.settings import config as config_module
from tests.services.docker_registry import DockerRegistry
from tests.services.pypi import PypiServer, free_port
from tests.services.tap import make_tap, tap_log

from .conftest import Repo, git, run_release
from .tools.test_gpg import PASS, Keys, keys  # noqa: F401 - the session fixture


@dataclass
class World:
    """The project under test and the destinations that must stay untouched. A service starts
    only when a case asks for it (most cases are config mistakes that never reach one)."""

    project: Repo
    tmp: Path
    tap: Path
    request: pytest.FixtureRequest
    env: dict[str, str] = field(default_factory=dict)
    started: dict[str, object] = field(default_factory=dict)

    def _service(self, fixture: str) -> Any:
        if fixture not in self.started:
            self.started[fixture] = self.request.getfixturevalue(fixture)
        return self.started[fixture]

    @property
    def pypi(self) -> PypiServer:
        return cast(PypiServer, self._service("pypi_server"))

    @property
    def docker(self) -> DockerRegistry:
        return cast(DockerRegistry, self._service("docker_registry"))

    @property
    def keys(self) -> Keys:
        return cast(Keys, self._service("keys"))

    def config(self, text: str) -> None:
        self.project.write("release.toml", text)
        self.project.commit("chore: config", file="config-change.txt")

    def destinations(self) -> tuple[object, ...]:
        """What a case could have changed: the services it started, the tap, the remote."""
        services: list[object] = []
        if "pypi_server" in self.started:
            services.append(self.pypi.files())
        if "docker_registry" in self.started:
            services.append(self.docker.tags("acme/bad"))
        return (
            *services,
            tap_log(self.tap),
            git(self.tmp, "ls-remote", str(self.tmp / "origin.git")),
        )


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[World], None]
    first_line: str  # a regular expression searched in the first line of stderr
    command: tuple[str, ...] = ("cut", "--yes")
    code: int = 2
    hint: str | None = None  # a substring of the hint, when it matters


# -- config: every key with a value of the wrong type ---------------------------------------

_WRONG: dict[object, object] = {str: 12, bool: "maybe", int: "many", float: "slow"}


def _wrong_value(hint: object) -> object:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return "no-such-choice"
    if origin in (list, dict):
        return 5
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(hint) if m is not type(None)]
        return 5 if any(typing.get_origin(m) is list for m in members) else _wrong_value(members[0])
    return _WRONG.get(hint, ["not", "this"])


def _config_cases() -> list[Case]:
    cases = []
    for section in dataclasses.fields(config_module.Config):
        if section.name == "source":
            continue
        cls = typing.get_type_hints(config_module.Config)[section.name]
        hints = typing.get_type_hints(cls)
        for key in dataclasses.fields(cls):
            value = json.dumps(_wrong_value(hints[key.name]))
            text = f"# a comment\n[{section.name}]\n{key.name} = {value}\n"
            cases.append(
                Case(
                    f"config {section.name}.{key.name} = {value}",
                    lambda w, text=text: w.config(text),
                    re.escape(f"release.toml:3: invalid value for '{section.name}.{key.name}'"),
                    command=("verify",),
                )
            )
    return cases


_VALUES = [
    ("[version]\ntag_format = 'release'\n", "version.tag_format", "{version}"),
    ("[version]\ninitial = '1.0'\n", "version.initial", "not a semver version"),
    ("[docker]\nimage = 'Acme/Tool:latest'\n", "docker.image", "not an image name"),
    ("[docker]\ntags = ['{version}', '{build}']\n", "docker.tags", "unknown field"),
    ("[github]\nrepository = 'just-a-name'\n", "github.repository", "owner/name"),
    ("[github]\napi_url = 'api.github.com'\n", "github.api_url", "not an http(s) URL"),
    ("[pypi]\nindex_url = 'ftp://pypi.test/'\n", "pypi.index_url", "not an http(s) URL"),
    ("[crates]\njobs = 0\n", "crates.jobs", "at least 1"),
    ("[homebrew]\npath = 'Formula/tool.rb'\n", "homebrew.path", "{name}"),
    ("[version.bump]\nfeat = 'huge'\n", "version.bump.feat", "should be 'major'"),
    ("[docker]\ninsecure = 'yes'\n", "docker.insecure", '"yes" is not a boolean'),
    ("[crates]\nretries = '2'\n", "crates.retries", '"2" is not a whole number'),
]

VALUE_CASES = [
    Case(
        f"config value {key}",
        lambda w, text=text: w.config("\n" + text),
        rf"release\.toml:3: invalid value for '{re.escape(key)}'.*{re.escape(words)}",
        command=("verify",),
    )
    for text, key, words in _VALUES
]


# -- publishing: formulas, archives, keys, tokens, services -----------------------------------

FORMULA = """class Demo < Formula
  desc "demo"
  homepage "https://example.test"
  version "1.1.0"
  url "https://example.test/demo-1.1.0.tar.gz"
  sha256 "{sha}"
end
"""


LINUX_FORMULA = """class Demo < Formula
  desc "demo"
  on_linux do
    on_intel do
      url "https://example.test/demo-1.1.0-x86_64-unknown-linux-gnu.tar.gz"
      sha256 "0"
    end
  end
end
"""


def _homebrew(w: World, formula: str, extra: str = "") -> None:
    w.project.write("formulas/demo.rb", formula)
    w.config(f'[homebrew]\ntap = "{w.tap}"\n{extra}')


def _empty_tap(w: World) -> Path:
    git(w.tmp, "init", "-q", "--bare", "empty-tap.git")
    return w.tmp / "empty-tap.git"


def _linux_tap(w: World, tap: Path, extra: str = "") -> None:
    w.project.write("formulas/demo.rb", LINUX_FORMULA)
    w.config(
        f'[homebrew]\ntap = "{tap}"\nurl = "https://dl.test/{{file}}"\n{extra}'
        '[build]\ntargets = ["x86_64-unknown-linux-gnu"]\n'
    )


def _closed_port() -> str:
    return f"http://127.0.0.1:{free_port()}/simple/"


def _pypi(w: World, index: str, creds: bool = True) -> None:
    w.project.write(
        "pyproject.toml",
        '[project]\nname = "demo"\nversion = "1.1.0"  # the version\n',
    )
    w.config(f'[pypi]\nrepository_url = "{index}"\nindex_url = "{index}"\n')
    if creds:
        w.env.update(TWINE_USERNAME="u", TWINE_PASSWORD="bad-input-password")


def _docker(w: World, image: str, **env: str) -> None:
    w.config(f'[docker]\nimage = "{image}"\ninsecure = true\n')
    w.env.update(env)


def _taken_version_tag(w: World) -> None:
    w.docker.push("acme/bad", "1.2.0", seed="an image someone else pushed")
    _docker(w, f"{w.docker.host}/acme/bad")


def _gpg(w: World, key: str, passphrase: str) -> None:
    w.config("[build]\npython = false\n")
    w.env.update(GPG_PRIVATE_KEY=key, GPG_PASSPHRASE=passphrase)


def _artifacts(w: World, manifest: str | None) -> None:
    folder = w.tmp / "runner-dist"
    folder.mkdir(exist_ok=True)
    if manifest is not None:
        (folder / "artifacts.json").write_text(manifest)
    w.project.tag("v1.2.0")


def _stale_artifacts(w: World) -> None:
    folder = w.tmp / "runner-dist"
    folder.mkdir()
    (folder / "artifacts.json").write_text(
        json.dumps({"version": "1.2.0", "tag": "v1.2.0", "commit": "0" * 40, "artifacts": []})
    )
    w.project.tag("v1.2.0")


PUBLISH_CASES = [
    Case(
        "formula url without sha256",
        lambda w: _homebrew(w, FORMULA.replace('  sha256 "{sha}"\n', "")),
        re.escape("[homebrew] formulas/demo.rb:5: the url for top level has no sha256"),
    ),
    Case(
        "formula of a binary with no target",
        lambda w: _homebrew(
            w,
            FORMULA.replace("  url", "  on_macos do\n    url")
            .replace('  sha256 "{sha}"', '    sha256 "0"\n  end')
            .replace("{sha}", "0"),
            'url = "https://dl.test/{file}"\n',
        ),
        r"\[homebrew\] formulas/demo\.rb:6: the formula has a on_macos url, but no build target",
        hint="[build] targets",
    ),
    Case(
        "formula without any url",
        lambda w: _homebrew(w, "class Demo < Formula\n  desc 'x'\nend\n"),
        r"\[homebrew\] formulas/demo\.rb: the formula has no url",
    ),
    Case(
        "tap that does not exist",
        lambda w: (
            w.project.write("formulas/demo.rb", LINUX_FORMULA),
            w.config(
                f'[homebrew]\ntap = "{w.tmp / "nowhere.git"}"\nurl = "https://dl.test/{{file}}"\n'
                '[build]\ntargets = ["x86_64-unknown-linux-gnu"]\n'
            ),
        ),
        r"\[homebrew\] git ls-remote of the tap .*nowhere\.git failed",
        hint="HOMEBREW_TAP_TOKEN",
    ),
    Case(
        "tap without any branch yet",
        lambda w: _linux_tap(w, _empty_tap(w)),
        r"\[homebrew\] the tap .*empty-tap\.git has no branch yet: it is an empty repository",
        hint="git push origin HEAD:main",
    ),
    Case(
        "tap without the configured branch",
        lambda w: _linux_tap(w, w.tap, 'branch = "stable"\n'),
        r"\[homebrew\] the tap .*homebrew-tap\.git has no branch 'stable' \(it has main\)",
        hint="set [homebrew] branch",
    ),
    Case(
        "package index unreachable",
        lambda w: _pypi(w, _closed_port()),
        r"\[pypi\] the Python package index did not answer GET .* after 3 attempt",
    ),
    Case(
        "no package index credentials",
        lambda w: _pypi(w, w.pypi.simple_url, creds=False),
        r"\[pypi\] no credentials to upload to the package index",
        hint="PYPI_API_TOKEN",
    ),
    Case(
        "docker registry unreachable",
        lambda w: _docker(w, f"127.0.0.1:{free_port()}/acme/bad"),
        r"\[docker\] the registry 127\.0\.0\.1:\d+ did not answer GET .*/v2/ after 3 attempt",
    ),
    Case(
        "docker username without password",
        lambda w: _docker(w, f"{w.docker.host}/acme/bad", DOCKER_USERNAME="bot"),
        r"\[docker\] only one of DOCKER_USERNAME and DOCKER_PASSWORD is set",
    ),
    Case(
        "docker version tag already on another image",
        _taken_version_tag,
        r"\[docker\] .*acme/bad:1\.2\.0 already exists on another image",
        hint="never moved",
    ),
    Case(
        "signing key that is not a key",
        lambda w: _gpg(w, "-----BEGIN PGP PRIVATE KEY BLOCK-----\nnot a key\n", PASS),
        r"\[sign\] GPG_PRIVATE_KEY",
    ),
    Case(
        "signing key with the wrong passphrase",
        lambda w: _gpg(w, w.keys.armored(w.keys.good), "not the passphrase"),
        r"\[sign\] .*passphrase",
        hint="GPG_PASSPHRASE",
    ),
    Case(
        "artifacts folder without a manifest",
        lambda w: _artifacts(w, None),
        r"no artifact manifest in .*runner-dist",
        command=("publish", "--artifacts", "{tmp}/runner-dist"),
        hint="release build",
    ),
    Case(
        "artifacts manifest that is not JSON",
        lambda w: _artifacts(w, "{ not json"),
        r"runner-dist/artifacts\.json is not a valid artifact manifest",
        command=("publish", "--artifacts", "{tmp}/runner-dist"),
    ),
    Case(
        "artifacts of another commit",
        _stale_artifacts,
        r"there are no artifacts of v1\.2\.0 built from [0-9a-f]{12} in dist/",
        command=("publish", "--artifacts", "{tmp}/runner-dist"),
        hint="--artifacts",
    ),
    Case(
        "publish without a release tag at HEAD",
        lambda w: None,
        r"HEAD carries no release tag in the format 'v\{version\}'",
        command=("publish",),
    ),
    Case(
        "only docs since the last release",
        lambda w: (w.project.git("reset", "-q", "--hard", "v1.1.0"), w.project.commit("docs: x")),
        r"nothing to release: ",
        hint="release cut 1.2.3",
    ),
    Case(
        "unknown step to skip",
        lambda w: None,
        r"there is no step 'crate'",
        command=("cut", "--yes", "--skip", "crate"),
        hint="steps: changelog",
    ),
]

CASES = _config_cases() + VALUE_CASES + PUBLISH_CASES


@pytest.fixture
def world(repo: Repo, tmp_path: Path, request: pytest.FixtureRequest) -> World:
    repo.write("CHANGELOG.md", "# Changelog\n")
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore(release): v1.1.0")
    repo.tag("v1.1.0")
    repo.commit("feat: a feature to release")
    repo.add_remote(tmp_path)
    tap = make_tap(tmp_path)
    return World(repo, tmp_path, tap, request)


def test_the_matrix_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(world: World, case: Case) -> None:
    case.setup(world)
    before = (world.project.snapshot(), world.destinations())
    command = [part.replace("{tmp}", str(world.tmp)) for part in case.command]
    result = run_release(world.project.path, *command, env=world.env)
    lines = result.err.splitlines()
    problems = [line for line in lines if line.startswith("error: ")]
    assert result.code == case.code, result.err
    assert problems, result.err
    assert re.search(case.first_line, problems[0]), problems[0]
    following = lines[lines.index(problems[0]) + 1]
    assert following.startswith("  hint: "), result.err
    if case.hint:
        assert case.hint in following
    assert (world.project.snapshot(), world.destinations()) == before
    for secret in world.env.values():
        if len(secret) > 8:
            assert secret not in result.out + result.err

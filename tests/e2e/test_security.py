"""The security table: hostile input a pull request could add (symlinks out of the
repository, config paths that leave it, shell characters, non-http webhooks, a tampered
artifacts.json, a cliff.toml that runs commands). Each is refused before anything is public,
or shown harmless, and every destination is counted afterwards: the outside content is in no
artifact and on no destination, and nothing outside the repository was written. One started
stack serves the whole table (as tests/e2e/test_fault_classes.py's)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import DockerRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer
from tests.services.slack import SlackWebhook
from tests.services.tap import tap_log

from ..conftest import git, run_release
from .stack import Stack, configure, demo_with_remote

VERSION = "3.0.0"
MARKER = "OUTSIDE-SECRET-c0ffee"  # the content of every file outside the repository


@dataclass
class Hostile:
    """What a row changes: files (None deletes), symlinks (path -> target), environment."""

    files: dict[str, str | None] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    name: str
    hostile: Callable[[Stack], Hostile]
    says: str  # what verify and the cut say (a regex)
    verify_code: int = 3  # a config the schema refuses is bad input: 2
    cut: tuple[str, ...] = ()  # more arguments of the cut
    cut_code: int = 2  # preflight: nothing was changed


def _toml(stack: Stack, extra: str) -> dict[str, str | None]:
    """release.toml with `extra` appended (its last table is [homebrew])."""
    return {"release.toml": (stack.project / "release.toml").read_text() + extra}


ROWS = [
    Row(
        "a LICENSE symlinked out of the repository (binary archive, GitHub asset)",
        lambda s: Hostile(links={"LICENSE": "../outside.txt"}),
        r"\[paths\] LICENSE is a symlink to \.\./outside\.txt, outside the repository",
    ),
    Row(
        "a LICENSE symlinked out of the Python package (sdist, wheel)",
        lambda s: Hostile(links={"python/LICENSE": "../../outside.txt"}),
        r"\[paths\] python/LICENSE is a symlink to \.\./\.\./outside\.txt, outside",
    ),
    Row(
        "[build] include naming files outside",
        lambda s: Hostile(
            files=_toml(
                s, '\n[build]\ninclude = ["README.md", "../outside.txt", "/etc/hostname"]\n'
            )
        ),
        r"release\.toml:\d+: \[build\] include \.\./outside\.txt is outside the repository"
        r"(.|\n)*\[build\] include /etc/hostname is an absolute path",
    ),
    Row(
        "[changelog] path and a version file ([[manifests.extra]]) outside",
        lambda s: Hostile(
            files=_toml(
                s,
                '\n[changelog]\npath = "../outside.md"\n'
                '\n[[manifests.extra]]\npath = "../outside.txt"\n',
            )
        ),
        r"release\.toml:\d+: \[changelog\] path \.\./outside\.md is outside the repository"
        r"(.|\n)*release\.toml:\d+: \[manifests\] path \.\./outside\.txt is outside",
    ),
    Row(
        "CHANGELOG.md symlinked to a key outside",
        lambda s: Hostile(files={"CHANGELOG.md": None}, links={"CHANGELOG.md": "../outside.txt"}),
        r"\[changelog\] path CHANGELOG\.md is a symlink to \.\./outside\.txt, outside",
    ),
    Row(
        "CHANGELOG.md symlinked inside the repository",
        lambda s: Hostile(
            files={"CHANGELOG.md": None, "docs/CHANGELOG.md": "# Changelog\n"},
            links={"CHANGELOG.md": "docs/CHANGELOG.md"},
        ),
        r"\[changelog\] path CHANGELOG\.md is a symlink to docs/CHANGELOG\.md: a release "
        r"never writes through a symlink",
    ),
    Row(
        "\"..\" in the tap's formula path, and the project's formula out of the repository",
        lambda s: Hostile(
            files=_toml(s, 'path = "../../{name}.rb"\nformula = "formulas/../../outside.txt"\n')
        ),
        r"release\.toml:\d+: \[homebrew\] formula formulas/\.\./\.\./outside\.txt is outside"
        r'(.|\n)*release\.toml:\d+: \[homebrew\] path \.\./\.\./\{name\}\.rb goes up with "\.\."',
    ),
    Row(
        "a tag format with shell characters",
        lambda s: Hostile(
            files=_toml(s, '\n[version]\ntag_format = "v{version}$(touch ../pwned)"\n')
        ),
        r"release\.toml:\d+: invalid value for 'version\.tag_format'.*may hold only letters",
        verify_code=2,
    ),
    Row(
        "a Slack webhook that is a file: URL (harmless: a warning, nothing sent)",
        lambda s: Hostile(env={"SLACK_WEBHOOK_URL": "file:///etc/passwd"}),
        r"\[slack\] SLACK_WEBHOOK_URL is not an http\(s\) URL: nothing will be sent",
        verify_code=0,
        cut=("--only", "slack"),  # the announcement alone: Slack is told nothing
        cut_code=0,
    ),
]


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    crate_registry_factory: Callable[..., CrateRegistry],
    pypi_server: PypiServer,
    docker_registry: DockerRegistry,
    github_api: GithubApi,
    slack_webhook: SlackWebhook,
) -> Iterator[Stack]:
    home = tmp_path_factory.mktemp("security")
    project = demo_with_remote(home)
    (home / "outside.txt").write_text(MARKER + "\n")
    yield configure(
        project,
        home / "remote.git",
        crate_registry_factory(),
        pypi_server,
        docker_registry,
        github_api,
        slack_webhook,
        home,
    )


def _world(stack: Stack) -> dict[str, object]:
    """What every destination holds, and what lies outside the repository."""
    home = stack.project.parent
    return {
        "remote": git(stack.project, "ls-remote", str(stack.remote)),
        "crates": stack.crates.log.versions(),
        "pypi": stack.pypi.files(),
        "docker": stack.docker.digest(f"acme/{stack.name}", VERSION),
        "github": [r.tag_name for r in stack.github.releases("acme", stack.name)],
        "tap": tap_log(stack.tap),
        "slack": len(stack.slack.payloads),
        "outside": sorted(p.name for p in home.iterdir()),
        "outside.txt": hashlib.sha256((home / "outside.txt").read_bytes()).hexdigest(),
    }


def _nowhere(stack: Stack) -> None:
    """The outside content is in no file the release made or sent."""
    dist = stack.project / "dist"
    for path in dist.rglob("*") if dist.is_dir() else []:
        assert MARKER.encode() not in path.read_bytes(), path
    for release in stack.github.releases("acme", stack.name):
        assert all(MARKER.encode() not in a.data for a in release.assets)
    for name in stack.pypi.files():
        assert MARKER.encode() not in (stack.pypi.packages / name).read_bytes()
    assert MARKER not in json.dumps(stack.slack.payloads)


def _apply(stack: Stack, hostile: Hostile) -> Callable[[], None]:
    project = stack.project
    before = git(project, "rev-parse", "HEAD").strip()
    for path, text in hostile.files.items():
        if text is None:
            git(project, "rm", "-q", path)
        else:
            (project / path).parent.mkdir(parents=True, exist_ok=True)
            (project / path).write_text(text)
            git(project, "add", path)
    for path, target in hostile.links.items():
        (project / path).unlink(missing_ok=True)
        (project / path).symlink_to(target)
        git(project, "add", path)
    changed = bool(hostile.files or hostile.links)
    if changed:
        git(project, "commit", "-qm", "chore: what a pull request added")
        git(project, "push", "-q", "origin", "main")

    def undo() -> None:
        if changed:
            git(project, "reset", "-q", "--hard", before)
            git(project, "push", "-q", "-f", "origin", "main")

    return undo


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_refused_before_anything_is_public(stack: Stack, row: Row) -> None:
    hostile = row.hostile(stack)
    undo = _apply(stack, hostile)
    try:
        before = _world(stack)
        env = {**stack.env, **hostile.env}
        verified = run_release(stack.project, "verify", VERSION, env=env)
        cut = run_release(stack.project, "cut", VERSION, "--yes", *row.cut, env=env)
        after = _world(stack)
        links = {p: (stack.project / p).is_symlink() for p in hostile.links}
        local_tags = git(stack.project, "tag", "--list")
        _nowhere(stack)
    finally:
        undo()
    said = verified.out + verified.err
    assert verified.code == row.verify_code, said
    assert re.search(row.says, said), said
    assert cut.code == row.cut_code, cut.err
    assert re.search(row.says, cut.err), cut.err
    assert after == before
    assert all(links.values())  # a symlink stays a symlink (git mode 120000)
    assert f"v{VERSION}" not in local_tags
    for value in hostile.env.values():
        assert value not in said + cut.out + cut.err  # a webhook URL is a secret


def test_publish_takes_only_what_artifacts_json_lists_inside_its_folder(stack: Stack) -> None:
    """A runner's artifacts folder whose manifest points out of it: nothing is published."""
    home = stack.project.parent
    runner = home / "runner-dist"
    runner.mkdir(exist_ok=True)
    commit = git(stack.project, "rev-parse", "HEAD").strip()
    digest = hashlib.sha256((home / "outside.txt").read_bytes()).hexdigest()
    listed = {"path": "../outside.txt", "kind": "sdist", "sha256": digest, "size": 1}
    manifest = {"version": VERSION, "tag": f"v{VERSION}", "commit": commit, "artifacts": [listed]}
    (runner / "artifacts.json").write_text(json.dumps(manifest))
    git(stack.project, "tag", "-a", "-m", "t", f"v{VERSION}")
    try:
        before = _world(stack)
        published = run_release(stack.project, "publish", "--artifacts", str(runner), env=stack.env)
        after = _world(stack)
        _nowhere(stack)
    finally:
        git(stack.project, "tag", "-d", f"v{VERSION}")
    assert published.code == 2, published.out + published.err
    assert re.search(r"lists '\.\./outside\.txt', which goes up with \"\.\.\"", published.err)
    assert after == {**before, "outside": after["outside"]}
    assert not (stack.project / "dist" / "outside.txt").exists()


def test_a_cliff_toml_command_is_named_and_runs_without_secrets(stack: Stack) -> None:
    """git-cliff runs a cliff.toml's `replace_command` by design: verify says so, and the
    command sees none of the release's secrets."""
    seen = stack.project.parent / "cliff-env.txt"
    cliff = (stack.project / "cliff.toml").read_text()
    command = f"env > {seen}; cat"
    hooked = re.sub(
        r"^\[git\]\n",
        f"[git]\ncommit_preprocessors = [{{ pattern = '.*', replace_command = '{command}' }}]\n",
        cliff,
        count=1,
        flags=re.MULTILINE,
    )
    assert hooked != cliff
    undo = _apply(stack, Hostile(files={"cliff.toml": hooked}))
    try:
        verified = run_release(stack.project, "verify", VERSION, env=stack.env)
        environment = seen.read_text() if seen.exists() else ""
    finally:
        undo()
        seen.unlink(missing_ok=True)
    said = verified.out + verified.err
    assert re.search(
        r"warning: \[changelog\] \S*cliff\.toml: cliff\.toml runs a shell command", said
    ), said
    assert command in said
    assert "PATH=" in environment  # the command did run, with an environment
    for name, value in stack.env.items():
        if name != "TWINE_USERNAME":
            assert value not in environment, name

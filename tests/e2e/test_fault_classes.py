"""The fault classes: each way a cut has failed half-public, or could. For each, `release
verify` exits 3 naming it (with a hint), and `release cut` stops before its first public
step: every destination (crate registry, pypiserver, docker-registry, GitHub, tap, Slack, the
git remote) has received nothing. One started stack serves the whole table."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import DockerRegistry
from tests.services.github_api import READ_ONLY_TOKEN, GithubApi
from tests.services.pypi import PypiServer
from tests.services.slack import SlackWebhook
from tests.services.tap import tap_log

from ..conftest import git, run_release
from .stack import Stack, configure, demo_with_remote

VERSION = "3.0.0"


@dataclass
class Fault:
    """What a class changes: committed files, environment, a service's answers."""

    files: dict[str, str | None] = field(default_factory=dict)  # path -> text (None: delete)
    env: dict[str, str] = field(default_factory=dict)
    service: Callable[[Stack], Callable[[], None]] | None = None  # returns its undo


@dataclass(frozen=True)
class FaultClass:
    name: str
    fault: Callable[[Stack], Fault]
    says: str  # what verify's message must say (a regex)
    hint: str  # and what its hint must name


def _release_toml(stack: Stack, extra: str) -> dict[str, str | None]:
    return {"release.toml": (stack.project / "release.toml").read_text() + extra}


def _registry_only(stack: Stack) -> str:
    """.cargo/config.toml with the registry, without `[source.crates-io] replace-with`."""
    return stack.crates.cargo_config_text().split("\n\n")[0] + "\n"


def _deny_push(stack: Stack) -> Callable[[], None]:
    """A registry that lets these credentials pull but not push, as a scoped token would."""
    rule = stack.docker.faults.fail(r"/blobs/uploads/", method="POST", status=403, times=None)
    return lambda: stack.docker.faults.remove(rule)


def _on_pypi(stack: Stack) -> Callable[[], None]:
    """Someone uploaded this version's sdist already (other bytes than ours will be)."""
    taken = stack.pypi.packages / f"demo_py-{VERSION}.tar.gz"
    taken.write_bytes(b"an sdist uploaded by someone else")
    return lambda: taken.unlink()


def _tag_on_remote(stack: Stack) -> Callable[[], None]:
    """The remote has the version's tag already, on another commit."""
    project, tag = stack.project, f"v{VERSION}"
    git(project, "tag", "-a", "-m", tag, tag, "HEAD~1")
    git(project, "push", "-q", "origin", tag)
    git(project, "tag", "-d", tag)

    def undo() -> None:
        git(project, "push", "-q", "origin", f":refs/tags/{tag}")

    return undo


CLASSES = [
    FaultClass(
        "no Cargo.lock",
        lambda s: Fault(files={"Cargo.lock": None}),
        r"\[(binaries|crates)\] no Cargo\.lock in .*--locked",
        "cargo generate-lockfile",
    ),
    FaultClass(
        "alternate registry without source replacement",
        lambda s: Fault(files={".cargo/config.toml": _registry_only(s)}),
        r"\[crates\] demo-\w+ depends on demo-\w+ from crates\.io, but the crates go to the "
        r"registry 'local'",
        'replace-with = "local"',
    ),
    FaultClass(
        "crate token rejected",
        lambda s: Fault(env={k: "not-the-registry-token" for k in s.crates.env}),
        r"\[crates\] crates token rejected by the registry local \(HTTP 403\)",
        "CARGO_REGISTRIES_LOCAL_TOKEN",
    ),
    FaultClass(
        "docker credentials without push access",
        lambda s: Fault(service=_deny_push),
        r"\[docker\] the Docker credentials may not push to",
        "DOCKER_PASSWORD",
    ),
    FaultClass(
        "GitHub token without push access",
        lambda s: Fault(env={"GITHUB_TOKEN": READ_ONLY_TOKEN}),
        r"\[github\] GITHUB_TOKEN may not write to acme/demo\d+",
        "contents: write",
    ),
    FaultClass(
        "tap without the branch",
        lambda s: Fault(files=_release_toml(s, 'branch = "stable"\n')),
        r"\[homebrew\] the tap .* has no branch 'stable'",
        "[homebrew] branch",
    ),
    FaultClass(
        "PyPI token of the wrong shape",
        lambda s: Fault(env={"PYPI_API_TOKEN": "not-a-pypi-token"}),
        r"\[pypi\] the PyPI API token is not one",
        "PYPI_API_TOKEN",
    ),
    FaultClass(
        "the version already on PyPI",
        lambda s: Fault(service=_on_pypi),
        rf"\[pypi\] demo-py {VERSION} is already on the index \(demo_py-{VERSION}\.tar\.gz\)",
        "release the next version",
    ),
    FaultClass(
        "the tag already on the remote, on another commit",
        lambda s: Fault(service=_tag_on_remote),
        rf"\[push\] the tag v{VERSION} already exists on origin",
        "choose the next one",
    ),
    FaultClass(
        "no secret key for [sign] key",
        lambda s: Fault(
            files=_release_toml(s, '\n[sign]\nkey = "nobody@example.invalid"\n'),
            env={"GNUPGHOME": str(s.project.parent / "empty-gnupg")},
        ),
        r"\[sign\] no secret key for 'nobody@example\.invalid'",
        "GPG_PRIVATE_KEY",
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
    home = tmp_path_factory.mktemp("fault-classes")
    project = demo_with_remote(home)
    (home / "empty-gnupg").mkdir(mode=0o700)
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
    """What every destination holds: a cut that stops in time changes none of it."""
    return {
        "remote": git(stack.project, "ls-remote", str(stack.remote)),
        "crates": stack.crates.log.versions(),
        "pypi": stack.pypi.files(),
        "docker": stack.docker.digest(f"acme/{stack.name}", VERSION),
        "github": [r.tag_name for r in stack.github.releases("acme", stack.name)],
        "tap": tap_log(stack.tap),
        "slack": len(stack.slack.payloads),
    }


def _apply(stack: Stack, fault: Fault) -> Callable[[], None]:
    project = stack.project
    before = git(project, "rev-parse", "HEAD").strip()
    for path, text in fault.files.items():
        if text is None:
            git(project, "rm", "-q", path)
        else:
            (project / path).write_text(text)
            git(project, "add", path)
    if fault.files:
        git(project, "commit", "-qm", "chore: the fault")
        git(project, "push", "-q", "origin", "main")
    undo_service = fault.service(stack) if fault.service else None

    def undo() -> None:
        if undo_service:
            undo_service()
        if fault.files:
            git(project, "reset", "-q", "--hard", before)
            git(project, "push", "-q", "-f", "origin", "main")

    return undo


def test_the_stack_is_ready_without_a_fault(stack: Stack) -> None:
    """The control: the same stack passes verify, so each class below is its fault alone."""
    ready = run_release(stack.project, "verify", VERSION, env=stack.env)
    assert ready.code == 0, ready.err


@pytest.mark.parametrize("fault_class", CLASSES, ids=[c.name for c in CLASSES])
def test_verify_names_it_and_a_cut_leaves_every_destination_untouched(
    stack: Stack, fault_class: FaultClass
) -> None:
    fault = fault_class.fault(stack)
    undo = _apply(stack, fault)
    try:
        before = _world(stack)
        env = {**stack.env, **fault.env}
        verified = run_release(stack.project, "verify", VERSION, env=env)
        cut = run_release(stack.project, "cut", VERSION, "--yes", env=env)
        after = _world(stack)
        local_tags = git(stack.project, "tag", "--list")
    finally:
        undo()
    assert verified.code == 3, verified.out + verified.err
    said = verified.out + verified.err
    assert re.search(fault_class.says, said), said
    assert fault_class.hint in said
    assert cut.code == 2, cut.err  # preflight: nothing was changed
    assert re.search(fault_class.says, cut.err), cut.err
    assert after == before
    assert f"v{VERSION}" not in local_tags
    for secret in fault.env.values():
        if "TOKEN" in secret or secret.startswith("not-"):
            assert secret not in said + cut.out + cut.err

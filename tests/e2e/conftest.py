"""The example project, replayed with its history into a temp dir with a bare remote."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import DockerRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer
from tests.services.slack import SlackWebhook
from tests.services.smtp import SmtpServer
from tests.tools.test_gpg import PASS, Keys, keys  # noqa: F401 (a fixture)

from ..conftest import git
from .pipelines import profiler, proxy
from .stack import Stack, configure

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from replay_history import replay  # noqa: E402


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    project = tmp_path / "demo"
    replay(
        ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", project
    )
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(project, "remote", "add", "origin", str(tmp_path / "remote.git"))
    git(project, "push", "-q", "origin", "main", "--tags")
    return project


@pytest.fixture
def stack(
    demo: Path,
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    pypi_server: PypiServer,
    docker_registry: DockerRegistry,
    github_api: GithubApi,
    slack_webhook: SlackWebhook,
) -> Stack:
    """The demo wired to every loopback service (a fresh crate registry and tap per test)."""
    return configure(
        demo,
        tmp_path / "remote.git",
        crate_registry_factory(),
        pypi_server,
        docker_registry,
        github_api,
        slack_webhook,
        tmp_path,
    )


@pytest.fixture
def profiler_stack(
    stack: Stack,
    docker_registry_factory: Callable[..., DockerRegistry],
    smtp_server: SmtpServer,
) -> Stack:
    """The profiler's pipeline: a second, authenticated registry and the release e-mail."""
    smtp_server.clear()
    return profiler(stack, docker_registry_factory(auth=True), smtp_server)


@pytest.fixture
def proxy_stack(stack: Stack, keys: Keys) -> Stack:  # noqa: F811
    """The proxy's pipeline: GPG signing and a multi-arch index from per-platform images."""
    return proxy(stack, keys.armored(keys.good), PASS)

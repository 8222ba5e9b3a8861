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

from ..conftest import git
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

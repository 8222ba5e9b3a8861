"""The fault model (tests/e2e/fault_model.py) on a few seeded sequences, every other one a
train (tests/e2e/fault_train.py); each sequence gets a fresh project on the module's
services. bench/soak_recovery.py runs many more through the same test, setting
FAULT_MODEL_SEED, FAULT_MODEL_SEQUENCES, FAULT_MODEL_ACTIONS, FAULT_MODEL_SECONDS and
FAULT_MODEL_FIGURES (where the figures go, as JSON); FAULT_MODEL_KINDS=train (or lockstep)
runs one kind only."""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import DockerRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer
from tests.services.slack import SlackWebhook

from ..conftest import git
from .fault_model import Figures, run_sequence
from .fault_train import TrainSequence, TrainStack, train_stack
from .stack import Stack, configure

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from replay_history import replay  # noqa: E402


def _setting(name: str, default: int) -> int:
    return int(os.environ.get(f"FAULT_MODEL_{name}", default))


def test_random_fault_sequences_always_finish_with_everything_once(
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    pypi_server: PypiServer,
    docker_registry: DockerRegistry,
    github_api: GithubApi,
    slack_webhook: SlackWebhook,
) -> None:
    seed, count = _setting("SEED", 22), _setting("SEQUENCES", 2)
    actions, seconds = _setting("ACTIONS", 3), _setting("SECONDS", 600)
    made = itertools.count()

    def make_stack() -> Stack:
        n = next(made)
        folder = tmp_path / f"s{n}"
        project = folder / "demo"
        replay(
            ROOT / "examples" / "polyglot-demo",
            ROOT / "examples" / "polyglot-demo.history",
            project,
        )
        git(folder, "init", "-q", "--bare", "remote.git")
        git(project, "remote", "add", "origin", str(folder / "remote.git"))
        git(project, "push", "-q", "origin", "main", "--tags")
        stack = configure(
            project,
            folder / "remote.git",
            crate_registry_factory(),
            pypi_server,
            docker_registry,
            github_api,
            slack_webhook,
            folder,
        )
        # The cheapest stack that keeps every destination: no SBOMs to build.
        with (project / "release.toml").open("a") as toml:
            toml.write("\n[build]\nsbom = false\n")
        git(project, "commit", "-qam", "chore: no SBOMs in the fault model")
        git(project, "push", "-q", "origin", "main")
        return stack

    def make_train() -> TrainStack:
        folder = tmp_path / f"t{next(made)}"
        return train_stack(folder, crate_registry_factory(), pypi_server, github_api)

    # Every other sequence is a train (independent versions), unless FAULT_MODEL_KINDS says.
    kinds = os.environ.get("FAULT_MODEL_KINDS", "lockstep,train").split(",")
    figures = Figures()
    deadline = time.monotonic() + seconds
    for n in range(_setting("FIRST", 0), count):
        if time.monotonic() > deadline:
            break
        seed_n = seed * 1000 + n
        if kinds[n % len(kinds)] == "train":
            run_sequence(make_train, seed_n, "", figures, actions, TrainSequence)  # type: ignore
        else:
            run_sequence(make_stack, seed_n, f"{2 + n}.0.0", figures, actions)
    if out := os.environ.get("FAULT_MODEL_FIGURES"):
        Path(out).write_text(json.dumps(figures.as_dict(), indent=2))
    assert figures.sequences >= 1
    assert not figures.failures, "\n".join(figures.failures)

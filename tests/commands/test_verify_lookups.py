"""`release verify` looks up the repository, loads the config, detects the layout, discovers
the packages and runs `cargo metadata` once each, in lockstep and with independent versions
(the planners and the steps share what the command found)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import release.commands.verify
import release.core.project.layout
import release.core.project.packages
import release.core.settings.config
import release.tools.cargo
from release.commands.verify import verify
from release.tools.git import Git

from ..conftest import Repo
from ..steps.package_repo import independent, lock

STEPS = ["changelog", "bump", "binaries"]  # all local: no registry is asked
LOOKUPS = {
    "config": (release.core.settings.config, "load"),
    "layout": (release.core.project.layout, "detect"),
    "packages": (release.core.project.packages, "discover"),
    "cargo metadata": (release.tools.cargo, "metadata"),
}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts the calls of each lookup, wherever a module imported it by name."""
    calls: Counter[str] = Counter()

    def counting(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    for name, (module, attr) in LOOKUPS.items():
        original = getattr(module, attr)
        wrapper = counting(name, original)
        for loaded in list(sys.modules.values()):
            if (loaded.__name__ or "").startswith("release") and (
                getattr(loaded, attr, None) is original
            ):
                monkeypatch.setattr(loaded, attr, wrapper)
    discover = Git.__dict__["discover"].__func__
    monkeypatch.setattr(Git, "discover", classmethod(counting("repository", discover)))
    yield calls


def test_lockstep(repo: Repo, counted: Counter[str]) -> None:
    repo.write(
        "Cargo.toml",
        '[package]\nname = "tool"\nversion = "0.1.0"\nedition = "2021"\nlicense = "MIT"\n'
        'description = "d"\n\n[[bin]]\nname = "tool"\npath = "src/main.rs"\n',
    )
    repo.write("src/main.rs", "fn main() {}\n")
    repo.write(".gitignore", "target/\ndist/\n")
    lock(repo)
    repo.commit("feat: start")
    repo.tag("v0.1.0")
    repo.commit("fix: one", file="notes.txt")
    result = verify(repo.path, None, None, skip=[], only=STEPS)
    assert result.info.version == "0.1.1"
    assert [s.name for s in result.steps] == STEPS
    assert counted == dict.fromkeys(["repository", "config", "layout", "cargo metadata"], 1)


def test_independent(repo: Repo, counted: Counter[str]) -> None:
    independent(repo)
    result = verify(repo.path, None, None, skip=[], only=STEPS)
    assert len(result.packages) == 4 and all(p.version for p in result.packages)
    assert counted == dict.fromkeys(
        ["repository", "config", "layout", "packages", "cargo metadata"], 1
    )

"""The fault model (tests/e2e/fault_model.py) over a train: independent versions, the lens
workspace of tests/e2e/test_independent_cut.py (three crates and a Python package released
together, each with its own tag), with the same random actions (kills, destinations that
fail for good, a colleague's push, the user's edits, commits and pulls), the same invariants
checked per package, and the same end: released, each artifact exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from tests.services.crate_registry import CrateRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer

from ..conftest import git
from .fault_model import Sequence
from .test_independent_cut import make_workspace

CRATES = {"lens-core": "0.4.0", "lens-left": "1.2.1", "lens-right": "1.0.1"}
PYTHON = "0.5.1"


@dataclass
class TrainStack:
    """What the fault model asks of a stack, for the lens workspace (no Docker, tap, Slack)."""

    project: Path
    remote: Path
    crates: CrateRegistry
    pypi: PypiServer
    github: GithubApi
    name: str
    py: str
    env: dict[str, str]

    @property
    def wheel(self) -> str:
        return self.py.replace("-", "_")

    @property
    def tags(self) -> list[str]:
        return sorted([*(f"{n}-v{v}" for n, v in CRATES.items()), f"{self.py}-v{PYTHON}"])


def train_stack(
    folder: Path, crates: CrateRegistry, pypi: PypiServer, github: GithubApi
) -> TrainStack:
    """A fresh workspace whose next cut releases CRATES and the Python package's PYTHON."""
    folder.mkdir(parents=True)
    ws = make_workspace(folder, crates, pypi, github)
    ws.commit("feat(core): a probe", "crates/lens-core/src/lib.rs")
    ws.commit("fix: a typo", "py/src/lens_py/extra.py")
    git(ws.path, "push", "-q", "origin", "main")
    return TrainStack(ws.path, ws.remote, crates, pypi, github, ws.name, ws.py, ws.env)


class TrainSequence(Sequence):
    """One seeded sequence over a train; `version` is unused (each package has its own)."""

    stack: TrainStack  # type: ignore[assignment]
    kill_points: ClassVar[list[str]] = [
        "after:changelog",
        "after:bump",
        "after:commit-tag",
        "after:wheels",
        "after:crate:lens-core",
        "after:crate:lens-left",
        "after:crates",
        "after:pypi",
        "after:github",
        "before:push",
        "after:push",
        "after:github-publish",
    ]
    broken: ClassVar[list[str]] = ["crates", "github", "push"]

    def cut_args(self) -> list[str]:
        return ["cut", "--yes"]

    def mine(self) -> list[dict[str, Any]]:
        tags = set(self.stack.tags)
        return [r for r in self.statuses() if set((r.get("packages") or {}).values()) == tags]

    def crates_out(self) -> list[tuple[str, str]]:
        return [(n, v) for n, v in self.stack.crates.log.versions() if CRATES.get(n) == v]

    def python_out(self) -> list[str]:
        return [f for f in self.stack.pypi.files() if f.startswith(f"{self.stack.wheel}-{PYTHON}")]

    def releases(self) -> list[Any]:
        return [
            r
            for r in self.stack.github.releases("acme", self.stack.name)
            if r.tag_name in self.stack.tags
        ]

    def public(self) -> list[str]:
        found = []
        if self.crates_out():
            found.append("crates")
        if self.python_out():
            found.append("pypi")
        if self.releases():
            found.append("github")
        remote = git(self.stack.project, "ls-remote", str(self.stack.remote))
        if any(f"refs/tags/{tag}" in remote for tag in self.stack.tags):
            found.append("tag")
        return found

    def check_once(self) -> None:
        crates = self.crates_out()
        if len(crates) != len(set(crates)):
            self.fail(f"a crate published twice: {crates}")
        tags = [r.tag_name for r in self.releases()]
        if len(tags) != len(set(tags)):
            self.fail(f"two GitHub releases of one tag: {tags}")
        for release in self.releases():
            names = [a.name for a in release.assets]
            if len(names) != len(set(names)):
                self.fail(f"an asset uploaded twice: {names}")

    def check_published(self) -> None:
        stack = self.stack
        assert sorted(self.crates_out()) == sorted(CRATES.items()), self.crates_out()
        built = f"{stack.wheel}-{PYTHON}"
        assert self.python_out() == [f"{built}-py3-none-any.whl", f"{built}.tar.gz"]
        releases = self.releases()
        assert sorted(r.tag_name for r in releases) == stack.tags
        assert all(not r.draft for r in releases)
        remote = git(stack.project, "ls-remote", str(stack.remote))
        for tag in stack.tags:  # pushed, on the release commit, which the branch there has
            assert f"refs/tags/{tag}" in remote, tag
            commit = git(stack.remote, "rev-parse", f"{tag}^{{commit}}")
            git(stack.remote, "merge-base", "--is-ancestor", commit, "main")  # raises if not

"""The invariants the fault model (tests/e2e/fault_model.py) checks after every action, and
its figures."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.services.tap import tap_log

from ..conftest import Result, git, run_release
from .stack import Stack


class Violation(AssertionError):
    """An invariant did not hold; the message names it and the sequence so far."""


@dataclass
class Figures:
    sequences: int = 0
    actions: int = 0
    checks: int = 0
    failures: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)  # "resume exit 1": how often

    def as_dict(self) -> dict[str, Any]:
        return {
            "sequences": self.sequences,
            "actions": self.actions,
            "invariant_checks": self.checks,
            "failures": self.failures,
            "outcomes": self.outcomes,
        }


class Invariants:
    """What must hold of one release whatever happened to it; `log` is the sequence so far."""

    stack: Stack
    version: str
    figures: Figures
    log: list[str]
    edits: dict[str, list[str]]

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    def fail(self, what: str) -> None:
        raise Violation(what + "\n  sequence: " + " | ".join(self.log))

    def mine(self) -> list[dict[str, Any]]:
        """This release's journals, the last one last."""
        return [r for r in self.statuses() if r["tag"] == self.tag]

    def state(self) -> str:
        mine = self.mine()
        return str(mine[-1]["state"]) if mine else "none"

    def statuses(self) -> list[dict[str, Any]]:
        out = run_release(self.stack.project, "status", "--json").out
        releases: list[dict[str, Any]] = json.loads(out)["releases"]
        return releases

    def public(self) -> list[str]:
        """What of this release any destination holds."""
        stack, version = self.stack, self.version
        found = []
        if any(v == version for _, v in stack.crates.log.versions()):
            found.append("crates")
        if any(f"-{version}" in f for f in stack.pypi.files()):
            found.append("pypi")
        if stack.docker.digest(f"acme/{stack.name}", version) is not None:
            found.append("docker")
        if any(r.tag_name == self.tag for r in stack.github.releases("acme", stack.name)):
            found.append("github")
        if f"refs/tags/{self.tag}" in git(stack.project, "ls-remote", str(stack.remote)):
            found.append("tag")
        return found

    def check(self, result: Result) -> None:
        self.figures.checks += 1
        self.check_once()
        public = self.public()
        said = result.out + result.err
        if public and ("nothing is public" in said or "is as it was" in said):
            self.fail(f"said nothing is public while {public} are: {said[-600:]}")
        mine = self.mine()
        if public and mine and mine[-1]["state"] not in {"interrupted", "failed", "done"}:
            self.fail(f"status says {mine[-1]['state']} while {public} are public")
        if public and not mine:
            self.fail(f"no journal of this release while {public} are public")
        human = run_release(self.stack.project, "status").out
        if public and "nothing of it is public yet" in human:
            self.fail(f"status says nothing is public while {public} are: {human}")
        self.check_edits()

    def check_once(self) -> None:
        stack, version = self.stack, self.version
        crates = [n for n, v in stack.crates.log.versions() if v == version]
        if len(crates) != len(set(crates)):
            self.fail(f"a crate published twice: {crates}")
        releases = [r for r in stack.github.releases("acme", stack.name) if r.tag_name == self.tag]
        if len(releases) > 1:
            self.fail(f"{len(releases)} GitHub releases of {self.tag}")
        for release in releases:
            names = [a.name for a in release.assets]
            if len(names) != len(set(names)):
                self.fail(f"an asset uploaded twice: {names}")
        if tap_log(stack.tap).count(f"demo {version}") > 1:
            self.fail("the formula was committed twice")
        if len(stack.success_messages(version)) > 1:
            self.fail("Slack was told twice that it was released")

    def check_published(self) -> None:
        """At the end: every destination holds the release, each artifact exactly once."""
        self.stack.check_published(self.version)

    def check_edits(self) -> None:
        for name, lines in self.edits.items():
            path = self.stack.project / name
            text = path.read_text() if path.exists() else ""
            lost = [line for line in lines if line not in text]
            if lost:
                self.fail(f"the user's edit of {name} was lost: {lost}")

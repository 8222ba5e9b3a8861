"""What each command returns: one result object, which release.cli.render shows to people
(rich) or to programs (--json: one envelope, `{"schema": 1, "command": ..., "ok": ...}`
around the command's own keys).

The base class and the fast commands' results are in release.commands.result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from release.commands.result import PackageInfo, Result, VersionInfo

if TYPE_CHECKING:
    from release.core.engine.context import Problem
    from release.core.engine.pipeline import StepPlan, StepResult
    from release.remote.github_pulls import PullRequestRef


@dataclass
class Stopped(Result):
    """The command stopped before it changed anything (problems, or a "no" at the prompt)."""

    command: ClassVar[str] = "stopped"


@dataclass
class VerifyResult(Result):
    command: ClassVar[str] = "verify"
    info: VersionInfo
    steps: list[StepPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # warnings too
    matrix: dict[str, Any] | None = None  # release.yml's build matrix; None: no release
    packages: list[PackageInfo] | None = None  # independent mode: every package's plan

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def payload(self) -> dict[str, Any]:
        plan: dict[str, Any] = {} if self.matrix is None else {"matrix": self.matrix}
        if self.packages is not None:
            plan["packages"] = [vars(p) for p in self.packages]
        return {
            **self.info.as_dict(),
            **plan,
            "ok": not self.errors,
            "steps": [
                {
                    "name": s.name,
                    "applies": s.applies,
                    "action": s.action,
                    "done": s.done,
                    "problems": [p.as_dict() for p in s.problems],
                }
                for s in self.steps
            ],
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class ReleasedResult(Result):
    """`cut`, `publish` and `resume`: the steps that ran, and the release they made."""

    command: ClassVar[str] = "cut"
    info: VersionInfo
    steps: list[StepResult]
    partial: bool = False  # --only/--skip: only some steps ran; not a release
    tagged: bool = False  # a partial cut that made the tag (not pushed unless `push` ran)

    def payload(self) -> dict[str, Any]:
        steps = [r.as_dict() for r in self.steps]
        return {**self.info.as_dict(), "steps": steps, "partial": self.partial}


@dataclass
class PublishResult(ReleasedResult):
    command: ClassVar[str] = "publish"


@dataclass
class ResumeResult(ReleasedResult):
    command: ClassVar[str] = "resume"


@dataclass
class BuildResult(ReleasedResult):
    command: ClassVar[str] = "build"
    artifacts: dict[str, Any] = field(default_factory=dict)  # dist/artifacts.json
    paths: list[str] = field(default_factory=list)  # in the order they were built

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "artifacts": self.artifacts}


@dataclass
class StatusResult(Result):
    command: ClassVar[str] = "status"
    releases: list[dict[str, Any]]  # each journal's summary, the most recent last

    def payload(self) -> dict[str, Any]:
        return {"releases": self.releases}


@dataclass
class InitResult(Result):
    command: ClassVar[str] = "init"
    written: list[Path] = field(default_factory=list)
    detected: list[str] = field(default_factory=list)  # what init found, in words
    kept: list[str] = field(default_factory=list)  # what was kept, and how it fits together
    printed: str | None = None  # for stdout: `--print` or `--workflow -`

    def payload(self) -> dict[str, Any]:
        return {
            "written": [str(p) for p in self.written],
            "detected": self.detected,
            "kept": self.kept,
            "printed": self.printed,
        }


@dataclass
class LoginResult(Result):
    command: ClassVar[str] = "login"
    name: str  # the secret's name; its value is never in a result

    def payload(self) -> dict[str, Any]:
        return {"stored": self.name}


@dataclass
class PrResult(Result):
    """`release pr`: the release pull request opened, updated or closed, or why there is none."""

    command: ClassVar[str] = "pr"
    state: str  # open | nothing | prepared (merged, waiting for `release cut`)
    version: str | None
    pull: PullRequestRef | None

    def payload(self) -> dict[str, Any]:
        pull = self.pull
        return {
            "state": self.state,
            "version": self.version,
            "pull_request": None
            if pull is None
            else {"number": pull.number, "url": pull.url, "action": pull.action},
        }

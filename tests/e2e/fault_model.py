"""A fault model of a release: seeded random sequences of what happens to one (a cut, a kill
at a step boundary, a destination that fails for good and is repaired, a colleague's push, a
user's uncommitted edit, resume, status), each run on a real loopback stack, with the
invariants checked after every action:

- no artifact twice on any destination, and at the end each exactly once;
- `release status` never says nothing is public while something is (nor does a failure);
- no user edit is lost;
- the release can always be finished, until it is (`finish` follows the tool's own hints).

The same seed gives the same sequence (the choices, not the timings). tests/e2e/
test_fault_model.py runs a few; bench/soak_recovery.py many more.
"""

from __future__ import annotations

import random
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from tests.services.faults import Rule

from ..conftest import Result, git, run_release
from .fault_invariants import Figures, Invariants, Violation
from .stack import Stack

KILL_POINTS = [
    "after:changelog",
    "after:bump",
    "after:commit-tag",
    "after:checksums",
    "after:crate:demo-core",
    "after:crate:demo-proto",
    "after:crates",
    "after:pypi",
    "after:github",
    "before:push",
    "after:push",
    "after:github-publish",
    "after:homebrew",
    "before:slack",
]
BROKEN = ["crates", "docker", "github", "push"]  # destinations that can fail for good
ACTIONS = [
    "cut",
    "resume",
    "break",
    "repair",
    "colleague",
    "pull",
    "edit",
    "commit-edits",
    "status",
]
WORLD = {"break", "repair", "colleague", "pull", "edit", "commit-edits"}  # no command of ours


@dataclass
class Sequence(Invariants):
    """One seeded sequence over one stack and one version."""

    stack: Stack
    version: str
    rng: random.Random
    figures: Figures
    log: list[str] = field(default_factory=list)
    rules: list[tuple[str, Rule]] = field(default_factory=list)
    hook: Path | None = None
    edits: dict[str, list[str]] = field(default_factory=dict)  # file -> the user's lines
    pushes: int = 0
    kill_points: ClassVar[list[str]] = KILL_POINTS
    broken: ClassVar[list[str]] = BROKEN

    def cut_args(self) -> list[str]:
        return ["cut", self.version, "--yes"]

    # --- the actions ---------------------------------------------------------------------
    def step(self) -> None:
        action = self.rng.choice(ACTIONS)
        getattr(self, "do_" + action.replace("-", "_"))()
        if action in WORLD:
            self.check(Result(0, "", ""))  # the world changed: the invariants still hold

    def release(self, *args: str, kill: bool | None = None) -> Result:
        env = dict(self.stack.env)
        if kill if kill is not None else self.rng.random() < 0.5:
            env["RELEASE_TEST_KILL_AT"] = self.rng.choice(self.kill_points)
        self.log.append(" ".join(["release", *args, env.get("RELEASE_TEST_KILL_AT", "")]))
        result = run_release(self.stack.project, *args, env=env)
        self.figures.actions += 1
        outcome = f"{args[0]} exit {result.code}"
        self.figures.outcomes[outcome] = self.figures.outcomes.get(outcome, 0) + 1
        self.check(result)
        return result

    def do_cut(self) -> None:
        self.release(*self.cut_args())

    def do_resume(self) -> None:
        self.release("resume", "--yes")

    def do_status(self) -> None:
        self.release("status", kill=False)

    def do_break(self) -> None:
        where = self.rng.choice(self.broken)
        self.log.append(f"break {where}")
        stack = self.stack
        if where == "crates":
            self.rules.append(
                ("crates", stack.crates.faults.fail("/api/v1/crates/new", status=403, times=None))
            )
        elif where == "docker":
            rule = stack.docker.faults.fail(r"/manifests/", method="PUT", status=403, times=None)
            self.rules.append(("docker", rule))
        elif where == "github":
            self.rules.append(
                ("github", stack.github.faults.fail(r"^/uploads/", status=403, times=None))
            )
        else:
            self.hook = stack.remote / "hooks" / "pre-receive"
            self.hook.write_text("#!/bin/sh\necho 'remote says no' >&2\nexit 1\n")
            self.hook.chmod(0o755)
        self.figures.actions += 1

    def do_repair(self) -> None:
        self.log.append("repair")
        for where, rule in self.rules:
            getattr(self.stack, where).faults.remove(rule)
        self.rules.clear()
        if self.hook is not None:
            self.hook.unlink(missing_ok=True)
            self.hook = None
        self.figures.actions += 1

    def do_colleague(self) -> None:
        """Someone pushes to main (a file of their own: the release merges without conflict)."""
        self.pushes += 1
        self.log.append("colleague pushes")
        if self.hook is not None:
            self.hook.rename(self.hook.with_suffix(".off"))
        clone = self.stack.project.parent / f"colleague-{self.pushes}"
        git(clone.parent, "clone", "-q", str(self.stack.remote), str(clone))
        (clone / f"COLLEAGUE-{self.pushes}.md").write_text("a colleague's file\n")
        git(clone, "add", "-A")
        git(clone, "commit", "-qm", f"docs: a colleague's note {self.pushes}")
        git(clone, "push", "-q", "origin", "main")
        if self.hook is not None:
            self.hook.with_suffix(".off").rename(self.hook)
        self.figures.actions += 1

    def do_pull(self) -> None:
        """The user merges what was pushed meanwhile (`git pull --no-rebase`), when git can."""
        self.log.append("git pull --no-rebase")
        try:
            git(self.stack.project, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
        except subprocess.CalledProcessError:
            if self.merging():
                git(self.stack.project, "merge", "--abort")
            self.log.append("(pull refused)")
        self.figures.actions += 1

    def merging(self) -> bool:
        return (self.stack.project / ".git" / "MERGE_HEAD").exists()

    def do_edit(self) -> None:
        """The user edits a tracked file or makes a new one, and does not commit."""
        name = self.rng.choice(["README.md", f"mine-{len(self.edits)}.txt"])
        line = f"the user's line {self.rng.randrange(10**6)}"
        self.log.append(f"edit {name}")
        path = self.stack.project / name
        before = path.read_text() if path.exists() else ""
        path.write_text(before + line + "\n")
        self.edits.setdefault(name, []).append(line)
        self.figures.actions += 1

    def do_commit_edits(self) -> None:
        """The user commits their own files, and nothing else."""
        self.log.append("commit edits")
        project = self.stack.project
        mine = [n for n in self.edits if git(project, "status", "--porcelain", "--", n)]
        if mine:
            git(project, "add", "--", *mine)
            git(project, "commit", "-qm", "docs: the user's edits", "--", *mine)
        self.figures.actions += 1

    # --- the end ---------------------------------------------------------------------------
    def finish(self) -> None:
        """Repair everything, commit the user's edits, and follow the tool's hints until the
        release is out; it must be, within a few commands."""
        self.do_repair()
        self.do_commit_edits()
        for _ in range(6):
            state = self.state()
            if state == "done":
                break
            if state in {"interrupted", "failed"}:
                result = self.release("resume", "--yes", kill=False)
            else:
                result = self.release(*self.cut_args(), kill=False)
            if result.code == 2 and "pull --rebase" in result.err:
                self.log.append("git pull --rebase")
                git(self.stack.project, "pull", "-q", "--rebase", "origin", "main")
        else:
            said = (result.err or result.out)[-800:]
            self.fail(f"not finished after six commands (state {self.state()}): {said}")
        if self.state() != "done":
            self.fail(f"the release did not finish: {self.state()}")
        try:
            self.check_published()
        except AssertionError as exc:
            self.fail(f"not every artifact exactly once at the end: {exc}")
        self.check_edits()


def run_sequence(
    make_stack: Callable[[], Stack],
    seed: int,
    version: str,
    figures: Figures,
    actions: int,
    kind: type[Sequence] = Sequence,
) -> None:
    """One sequence: a few random actions, then `finish`; a violation is recorded, not raised.
    `kind`: Sequence for the lockstep demo, fault_train.TrainSequence for a train."""
    rng = random.Random(seed)
    sequence = kind(make_stack(), version, rng, figures)
    figures.sequences += 1
    try:
        sequence.do_cut()
        for _ in range(rng.randint(1, actions)):
            sequence.step()
        sequence.finish()
    except Violation as exc:
        figures.failures.append(f"seed {seed}: {exc}")
    except Exception as exc:  # a crash of the tool or of the model is a finding too
        trail = " | ".join(sequence.log)
        figures.failures.append(f"seed {seed}: {type(exc).__name__}: {exc}\n  sequence: {trail}")
    finally:
        sequence.do_repair()

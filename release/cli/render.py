"""One result, two renderings: for people (plain lines and rich tables) or for programs
(--json: one versioned envelope on stdout). Every command's output goes through `show`;
problems, notes and progress go to stderr, so stdout stays clean for programs.

Light at import: `release next` renders through here on its fast path; rich is imported by
the renderings that draw tables or spinners.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from release.base.secrets import redact

if TYPE_CHECKING:  # the results are only read here: `release next` builds its own alone
    from rich.status import Status
    from rich.table import Table

    from release.commands.result import ChangelogResult, NextResult, PackageInfo, Result
    from release.commands.results import (
        BuildResult,
        InitResult,
        LoginResult,
        ReleasedResult,
        StatusResult,
        VerifyResult,
    )
    from release.core.engine.context import Problem
    from release.core.engine.pipeline import StepResult


def show(result: Result, *, json: bool) -> None:
    """Print `result` for people, or its envelope for programs; the notes either way."""
    for note in result.notes:
        sys.stderr.write(redact(note) + "\n")
    if json:
        envelope = result.envelope()
        if envelope is not None:
            emit_json(envelope)
        verified = cast("VerifyResult", result)
        if result.command == "verify" and verified.errors:
            print_problems(verified.problems)  # stdout holds the JSON: the reasons go to stderr
        return
    human = HUMAN.get(result.command)
    if human is not None:
        human(result)


def emit_json(data: dict[str, Any]) -> None:
    sys.stdout.write(redact(json.dumps(data, indent=2, sort_keys=False)) + "\n")


def _out(text: str) -> None:
    sys.stdout.write(text)


def _next(result: Result) -> None:
    found = cast("NextResult", result)
    if found.packages is not None:
        _out("".join(f"{p.name} {p.version}\n" for p in found.released))
    elif found.info and found.info.version:
        _out(f"{found.info.version}\n")


def _changelog(result: Result) -> None:
    changelog = cast("ChangelogResult", result)
    if changelog.written:
        _out("".join(f"wrote {path}\n" for path in changelog.written))
    elif changelog.output is None:
        _out(changelog.text)


def _verify(result: Result) -> None:
    from rich.console import Console

    verified = cast("VerifyResult", result)
    if verified.info.version is None:
        if verified.packages:  # independent mode: each package's own reason
            Console(highlight=False).print(_packages_table(verified.packages))
        return  # the note said why
    from rich.markup import escape
    from rich.table import Table

    info = verified.info
    console = Console(highlight=False)
    if verified.packages is not None:
        console.print(_packages_table(verified.packages))
    else:
        previous = info.previous_tag or "none"
        console.print(f"[bold]{previous} → {info.tag}[/bold]  ({info.reason})")
        groups = ", ".join(f"{name}: {count}" for name, count in info.groups.items()) or "none"
        console.print(f"{info.commits} commits since {previous}: {groups}", soft_wrap=True)
    table = Table(show_lines=False)
    table.add_column("step")
    table.add_column("would")
    table.add_column("status")
    for step in verified.steps:
        if not step.applies:
            status = "[dim]skipped[/dim]"
        elif step.problems:
            status = f"[red]{len(step.problems)} problem(s)[/red]"
        elif step.done:
            status = "[green]already done[/green]"
        else:
            status = "[green]ready[/green]"
        table.add_row(step.name, escape(redact(step.action)), status)  # "[docker] image"
    console.print(table)
    print_problems(verified.problems)
    if verified.errors:
        console.print(f"[red]{len(verified.errors)} problem(s) would stop the release.[/red]")
    else:
        console.print("[green]Ready to cut.[/green]")


def _packages_table(packages: list[PackageInfo]) -> Table:
    """Independent mode: each package, where it is, where it goes, and why."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="packages", title_justify="left")
    for column in ("package", "current", "next", "why"):
        table.add_column(column)
    for p in packages:
        upcoming = p.version or "[dim]-[/dim]"
        table.add_row(p.name, p.current, upcoming, escape("; ".join(p.reasons)))
    return table


def _released(result: Result) -> None:
    done = cast("ReleasedResult", result)
    if not done.partial:
        _out(f"released {done.info.tag}\n")
        return
    ran = [s.name for s in done.steps if s.status in {"ran", "already-done"}]
    made = (
        f"tagged {done.info.tag}"
        if done.tagged
        else f"no tag made: {done.info.tag} is not released"
    )
    _out(f"partial cut of {done.info.tag}: ran {', '.join(ran) or 'nothing'}; {made}\n")


def _built(result: Result) -> None:
    for path in cast("BuildResult", result).paths:
        _out(f"{path}\n")


def _status(result: Result) -> None:
    from release.commands.status import lines

    _out("".join(f"{line}\n" for line in lines(cast("StatusResult", result).releases)))


def _init(result: Result) -> None:
    """What init found, wrote and kept. Text asked for with --print or `--workflow -` goes
    alone to stdout, the report then to stderr."""
    init = cast("InitResult", result)
    out = sys.stderr if init.printed is not None else sys.stdout
    out.write("found:\n" + "".join(f"  - {item}\n" for item in init.detected))
    for path in init.written:
        out.write(f"wrote {path}\n")
    for kept in init.kept:
        out.write(f"{kept}\n")
    if init.printed is not None:
        _out(init.printed)


def _login(result: Result) -> None:
    _out(f"stored {cast('LoginResult', result).name} in the keyring\n")


def _pr(result: Result) -> None:
    from release.cli.render_pr import show_pr

    show_pr(result)


def _replay(result: Result) -> None:
    from release.cli.render_replay import show_replay

    show_replay(result)


HUMAN: dict[str, Callable[[Result], None]] = {
    "next": _next,
    "changelog": _changelog,
    "verify": _verify,
    "cut": _released,
    "publish": _released,
    "resume": _released,
    "build": _built,
    "status": _status,
    "init": _init,
    "login": _login,
    "pr": _pr,
    "replay": _replay,
}


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        where = f"{problem.where}: " if problem.where else ""
        label = "error" if problem.severity == "error" else "warning"
        sys.stderr.write(redact(f"{label}: [{problem.step}] {where}{problem.message}\n"))
        if problem.hint:
            sys.stderr.write(redact(f"  hint: {problem.hint}\n"))


MARKS = {"ran": "✓", "already-done": "=", "skipped": "-", "failed": "✗"}


def print_step(result: StepResult) -> None:
    mark = MARKS.get(result.status, "?")
    line = f"{mark} {result.name:<14} {result.status:<12} {result.seconds:6.2f}s"
    sys.stderr.write(redact(line) + "\n")


class StepProgress:
    """A line per finished step; on a terminal, a spinner names the steps still running
    (several at once while the publishers run concurrently)."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True, highlight=False)
        self.running: list[str] = []
        self._status: Status | None = None
        self._lock = threading.Lock()

    def start(self, name: str) -> None:
        with self._lock:
            self.running.append(name)
            self._show()

    def __call__(self, result: StepResult) -> None:
        with self._lock:
            if result.name in self.running:
                self.running.remove(result.name)
            self._show()
        if self.console.is_terminal:
            mark = MARKS.get(result.status, "?")
            style = {"failed": "red", "ran": "green"}.get(result.status, "dim")
            self.console.print(
                f"[{style}]{mark}[/{style}] {result.name:<14} {result.status:<12} "
                f"{result.seconds:6.2f}s",
                markup=True,
            )
        else:
            print_step(result)

    def close(self) -> None:
        with self._lock:
            self.running.clear()
            self._show()

    def _show(self) -> None:
        if not self.console.is_terminal:
            return
        text = "running " + " + ".join(self.running) if self.running else ""
        if self._status is None and text:
            self._status = self.console.status(text)
            self._status.start()
        elif self._status is not None and text:
            self._status.update(text)
        elif self._status is not None:
            self._status.stop()
            self._status = None


class Terminal:
    """The person at the command line, as the commands ask for them (release.commands.ui)."""

    def problems(self, problems: list[Problem]) -> None:
        print_problems(problems)

    def can_ask(self, what: str) -> None:
        """A BadInput when there is nobody to ask (CI, a pipe): silence is no yes."""
        if not sys.stdin.isatty():
            from release.base.errors import BadInput

            raise BadInput(
                f"no terminal to ask {what}: nothing was changed",
                hint="pass --yes to go on without asking (CI, scripts)",
            )

    def confirm(self, question: str) -> bool:
        self.can_ask(repr(question))
        import typer

        return typer.confirm(question, default=True)

    def progress(self) -> StepProgress:
        return StepProgress()

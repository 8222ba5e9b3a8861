"""Results for people (rich) or for programs (--json): one dict per result, two renderings."""

from __future__ import annotations

import json
import sys
import threading
from typing import TYPE_CHECKING, Any

from release.core.context import Problem, ReleaseContext
from release.core.pipeline import Plan, StepResult
from release.core.secrets import redact

if TYPE_CHECKING:
    from rich.status import Status


def emit_json(data: dict[str, Any]) -> None:
    sys.stdout.write(redact(json.dumps(data, indent=2, sort_keys=False)) + "\n")


def version_dict(ctx: ReleaseContext) -> dict[str, Any]:
    return {
        "previous": str(ctx.previous.version) if ctx.previous else None,
        "previous_tag": ctx.previous.tag if ctx.previous else None,
        "version": str(ctx.version) if ctx.version else None,
        "tag": ctx.tag if ctx.version else None,
        "bump": ctx.bump.name.lower(),
        "reason": ctx.reason,
        "commits": len(ctx.commits),
        "groups": ctx.groups(),
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    from release.core.matrix import build_matrix

    return {
        **version_dict(plan.ctx),
        "matrix": build_matrix(plan.ctx),
        "ok": not plan.errors,
        "steps": [
            {
                "name": s.name,
                "applies": s.applies,
                "action": s.action,
                "done": s.done,
                "problems": [p.as_dict() for p in s.problems],
            }
            for s in plan.steps
        ],
        "problems": [p.as_dict() for p in plan.problems],
    }


def print_plan(plan: Plan) -> None:
    from rich.console import Console
    from rich.table import Table

    ctx = plan.ctx
    console = Console(highlight=False)
    previous = ctx.previous.tag if ctx.previous else "none"
    console.print(f"[bold]{previous} → {ctx.tag}[/bold]  ({ctx.reason})")
    groups = ", ".join(f"{name}: {count}" for name, count in ctx.groups().items()) or "none"
    console.print(f"{len(ctx.commits)} commits since {previous}: {groups}", soft_wrap=True)
    table = Table(show_lines=False)
    table.add_column("step")
    table.add_column("would")
    table.add_column("status")
    for step in plan.steps:
        if not step.applies:
            status = "[dim]skipped[/dim]"
        elif step.problems:
            status = f"[red]{len(step.problems)} problem(s)[/red]"
        elif step.done:
            status = "[green]already done[/green]"
        else:
            status = "[green]ready[/green]"
        table.add_row(step.name, redact(step.action), status)
    console.print(table)
    print_problems(plan.problems)
    if plan.errors:
        console.print(f"[red]{len(plan.errors)} problem(s) would stop the release.[/red]")
    else:
        console.print("[green]Ready to cut.[/green]")


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


def cut_dict(ctx: ReleaseContext, results: list[StepResult]) -> dict[str, Any]:
    return {**version_dict(ctx), "steps": [r.as_dict() for r in results]}


def print_status(journals: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    if not journals:
        console.print("No release has been cut in this repository yet.")
        return
    table = Table()
    for column in ("release", "state", "steps", "journal"):
        table.add_column(column)
    for entry in journals:
        steps = ", ".join(f"{name}: {event}" for name, event in entry["steps"].items())
        table.add_row(entry["tag"], entry["state"], steps or "-", entry["journal"])
    console.print(table)
    if journals[-1]["state"] in {"interrupted", "failed"}:
        console.print(f"`release resume` finishes {journals[-1]['tag']}.")


def actions_outputs(ctx: ReleaseContext, *, released: bool) -> None:
    """`version`, `tag` and `released` as step outputs when running in GitHub Actions."""
    from release.core import actions

    actions.set_output("version", str(ctx.version) if ctx.version else "")
    actions.set_output("tag", ctx.tag if ctx.version else "")
    actions.set_output("released", "true" if released else "false")


def matrix_output(ctx: ReleaseContext) -> None:
    """The build matrix as a step output, for release.yml's build job."""
    from release.core import actions
    from release.core.matrix import build_matrix

    actions.set_output("matrix", json.dumps(build_matrix(ctx), separators=(",", ":")))


def actions_summary(ctx: ReleaseContext, results: list[StepResult]) -> None:
    """A markdown summary of the cut on the workflow run's page."""
    from release.core import actions

    previous = ctx.previous.tag if ctx.previous else "none"
    lines = [
        f"## Release {ctx.tag}",
        "",
        f"{previous} → **{ctx.tag}** ({ctx.reason}), {len(ctx.commits)} commits.",
        "",
        "| step | result | seconds |",
        "| --- | --- | --- |",
        *(f"| {r.name} | {r.status} | {r.seconds:.2f} |" for r in results),
    ]
    places = ctx.landed.places(str(ctx.version))
    if places:
        lines += ["", "### Published", ""]
        lines += [f"- [{p.label}]({p.url})" if p.url else f"- {p.label}" for p in places]
    actions.summary(redact("\n".join(lines)))


def released(ctx: ReleaseContext, results: list[StepResult], *, json: bool) -> None:
    """The end of a successful cut or resume: for people, for programs, for Actions."""
    actions_outputs(ctx, released=True)
    actions_summary(ctx, results)
    if json:
        emit_json(cut_dict(ctx, results))
    else:
        sys.stdout.write(f"released {ctx.tag}\n")

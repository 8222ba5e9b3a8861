"""`release replay` for people: one row per release, each aspect agreeing (✓) or what differs,
then every difference with its class and reason, then the totals."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from release.commands.replay import ReplayResult
    from release.commands.result import Result
    from release.core.plan.replay_diff import Replayed

_COLOUR = {"defect": "red", "policy": "yellow", "non-conventional": "cyan"}


def _cell(replayed: Replayed, aspect: str) -> str:
    if replayed.error is not None and not (aspect == "version" and replayed.ours_versions):
        return "[red]error[/red]"
    kinds = sorted({d.kind for d in replayed.differences if d.aspect == aspect})
    if not kinds and not replayed.agrees(aspect):
        return "[red]unknown[/red]"  # a prepare step failed
    if not kinds:
        return "[green]✓[/green]"
    return ", ".join(f"[{_COLOUR[k]}]{k}[/{_COLOUR[k]}]" for k in kinds)


def show_replay(result: Result) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    replayed = cast("ReplayResult", result)
    console = Console(highlight=False)
    table = Table(title="replayed releases", title_justify="left")
    for column in ("release", "ours", "version", "tag", "files", "changelog"):
        table.add_column(column)
    for r in replayed.releases:
        # a group's members share one tag and version: each said once
        ours = ", ".join(dict.fromkeys(v or "none" for v in r.ours_versions.values())) or "-"
        row = [escape(", ".join(dict.fromkeys(r.theirs_tags.values()))), escape(ours)]
        table.add_row(*row, *(_cell(r, a) for a in ("version", "tag", "files", "changelog")))
    console.print(table)
    for r in replayed.releases:
        where = ", ".join(dict.fromkeys(r.theirs_tags.values()))
        if r.error is not None:
            console.print(f"{escape(where)}: [red]not replayed[/red]: {escape(r.error)}")
        for step, why in r.failed.items():
            console.print(
                f"{escape(where)}: [red]{step} failed[/red]: {escape(why)}", soft_wrap=True
            )
        for d in r.differences:
            colour = _COLOUR[d.kind]
            console.print(
                f"{escape(where)} {d.aspect}: [{colour}]{d.kind}[/{colour}] "
                f"ours {escape(d.ours)}, theirs {escape(d.theirs)}: {escape(d.why)}",
                soft_wrap=True,
            )
    summary = replayed.summary()
    total = summary["releases"]["replayed"]
    agreed = ", ".join(f"{a} {n}/{total}" for a, n in summary["agree"].items())
    console.print(f"agreement: {agreed}")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary["differences"].items())) or "none"
    console.print(f"differences: {kinds}")

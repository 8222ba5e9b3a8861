"""`release status`: what the journals of this repository's cuts say, step by step.

The journal records events (`start`, `item`, `done`, `already-done`, `failed`); a person wants
each step's outcome, what is left, and where the journal is. `--json` keeps the raw summary
and adds the same outcomes for programs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from release.commands.results import StatusResult
from release.core.engine.journal import Journal, ReleaseLock
from release.core.plan.release_commit import head_story
from release.tools.git import Git

RUNS = {"cut", "build", "publish"}  # the records of a whole run, not of one step
OUTCOMES = {
    "start": "running when the journal ends",
    "done": "done",
    "already-done": "already done",
    "failed": "failed",
    "announce-failed": "announcement failed",
}
STATES = {
    "done": "released",
    "partial": "partial cut (--only/--skip): some steps ran, not released",
    "interrupted": "stopped before it finished (killed, or still running)",
    "failed": "failed after parts of it were public; not finished",
    "restored": "failed before anything was public; the repository was put back",
}


def status(start: Path) -> StatusResult:
    """Every journal of the repository, oldest first: its summary and each step's outcome."""
    git = Git.discover(start)
    releases = [report(journal) for journal in Journal.all(git.git_dir())]
    if releases and releases[-1]["state"] in {"interrupted", "failed"}:
        last = releases[-1]  # the one `release resume` finishes: from this HEAD?
        packages = last.get("packages") or {}
        tags = list(dict.fromkeys(packages.values())) or [str(last["tag"])]
        story = head_story(git, tags)
        last.update(resumable=story.resumable, release_commit=story.commit, head_says=story.said)
    return StatusResult(releases)


def no_cut_running(start: Path) -> None:
    """A cut that is running holds the lock: say so before planning, which would otherwise
    trip over the tag and files that cut is changing ("1.2.0 is not greater than v1.2.0")."""
    with ReleaseLock(Git.discover(start).git_dir()):
        pass


def report(journal: Journal) -> dict[str, Any]:
    summary = journal.summary()
    outcomes: dict[str, dict[str, Any]] = {}
    for entry in journal.entries():
        step, event = entry["step"], entry["event"]
        if step in RUNS:
            if event in {"done", "failed", "partial"}:
                summary["finished"] = entry.get("time")
            continue
        outcome = outcomes.setdefault(step, {"step": step, "outcome": "", "items": 0})
        if event == "item":
            outcome["items"] += 1
        elif event in OUTCOMES:
            outcome["outcome"] = OUTCOMES[event]
            if event == "failed":
                outcome["error"] = entry.get("error")
    summary["outcomes"] = [o for o in outcomes.values() if o["outcome"] or o["items"]]
    summary["journal"] = str(Path(summary["journal"]).resolve())
    return summary


def lines(releases: list[dict[str, Any]]) -> list[str]:
    """`release status` for people, one paragraph per release, the last one most detailed
    (release.cli.render prints them)."""
    if not releases:
        return ["No release has been cut in this repository yet."]
    out: list[str] = []
    for release in releases:
        state = STATES.get(release["state"], release["state"])
        out.append(f"{release['tag']}: {state}{_when(release)}")
        groups: dict[str, list[str]] = {}
        for o in release["outcomes"]:
            items = f" ({o['items']} item{'s' if o['items'] != 1 else ''})" if o["items"] else ""
            groups.setdefault(o["outcome"] or "items recorded", []).append(o["step"] + items)
        for outcome, steps in groups.items():
            out.append(f"  {outcome}: {', '.join(steps)}")
        for o in release["outcomes"]:
            if o.get("error"):
                out.append(f"  {o['step']} said: {o['error']}")
        out += _public_lines(release)
        out.append(f"  journal: {release['journal']}")
    last = releases[-1]
    if last["state"] in {"interrupted", "failed"}:
        if last.get("head_says"):
            out.append(f"  {last['head_says']}")
        if last.get("resumable", True):
            out.append(f"`release resume` finishes {last['tag']}; steps already done are skipped.")
    elif last["state"] == "restored":
        out.append(f"Fix the cause, then cut {last['tag']} again.")
    return out


def _public_lines(release: dict[str, Any]) -> list[str]:
    """What is out there for good and what is left, for a release that is not finished."""
    if release["state"] not in {"interrupted", "failed"}:
        return []
    out, left = release.get("out") or [], release.get("left") or []
    maybe = release.get("maybe_out") or []
    lines = []
    if out:
        lines.append(f"  public already (cannot be taken back): {', '.join(out)}")
    if maybe:
        lines.append(f"  started, and may be partly public: {', '.join(maybe)}")
    if not out and not maybe:
        lines.append("  nothing of it is public yet")
    if left:
        lines.append(f"  left to do: {', '.join(left)}")
    return lines


def _when(release: dict[str, Any]) -> str:
    started = release.get("started")
    if not started:
        return ""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(started)))
    return f" (started {stamp})"

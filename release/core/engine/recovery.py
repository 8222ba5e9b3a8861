"""What a failed cut may undo, decided from the world rather than from this process.

Whether a release has gone public is a fact about its destinations: any process may have
published (a killed cut, a resume, another resume). So it is read from the journal that every
process appends to, and, where the journal cannot tell (a step that started and failed), from
the step's own look at its destination. Anything public: nothing is undone. Nothing public:
only the files the cut itself wrote, as it wrote them, are put back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from release.core.engine.artifacts import sha256_file
from release.core.engine.context import ReleaseContext
from release.core.engine.journal import OUT, Journal, since_last_restore
from release.core.engine.step import Step


def went_public(journal: Journal, steps: list[tuple[str, ReleaseContext, Step]]) -> bool:
    """Has any process put something of this release out? `steps`: each public step with its
    journal name and context. A step recorded done (or an item) counts; a non-atomic step that
    started without finishing is asked whether anything of it is out, and counts when it
    cannot tell."""
    entries = since_last_restore(journal.entries())
    events: dict[str, set[str]] = {}
    for entry in entries:
        events.setdefault(entry["step"], set()).add(entry["event"])
    for name, ctx, step in steps:
        seen = events.get(name, set())
        if seen & OUT:
            return True
        if "start" in seen and not step.atomic and _maybe_out(ctx, step):
            return True
    return False


def _maybe_out(ctx: ReleaseContext, step: Step) -> bool:
    try:
        return step.anything_out(ctx)
    except Exception:  # the destination cannot say: assume the worst, stay resumable
        return True


def digest(path: Path) -> str | None:
    """sha256 of a file's bytes, None when there is no file."""
    try:
        return sha256_file(path)
    except FileNotFoundError:
        return None


def record_written(ctx: ReleaseContext, step: str, paths: set[str], journal: Journal) -> None:
    """Each file the step wrote, with the sha256 it left it with: a restore puts back only
    files that still have it (anything else is someone's edit since)."""
    if not paths:
        return
    files = {p: digest(ctx.root / p) or "" for p in sorted(paths)}
    ctx.changes.written.update(files)
    journal.record(step, "wrote", files=files)


def adopt(journal: Journal, ctx: ReleaseContext) -> None:
    """A resume undoes what the interrupted cut did too: its start, its files, its tag."""
    entries = since_last_restore(journal.entries())
    starts = [n for n, e in enumerate(entries) if e["step"] == "cut" and e["event"] == "start"]
    entries = entries[starts[-1] :] if starts else entries  # the last start: HEAD before it
    first = entries[0] if starts else {}
    if first.get("head"):
        ctx.changes.start_head = str(first["head"])
    ctx.changes.written = {**written_files(entries), **ctx.changes.written}
    tagged = any(e["step"] == "commit-tag" and e["event"] == "done" for e in entries)
    if tagged and ctx.changes.tagged is None and ctx.version is not None:
        ctx.changes.tagged = ctx.tag


def written_files(entries: list[dict[str, Any]]) -> dict[str, str]:
    """path -> the sha256 the cut left each file it wrote with (its journal's `wrote` lines)."""
    found: dict[str, str] = {}
    for entry in since_last_restore(entries):
        if entry.get("event") == "wrote":
            found.update(entry.get("files") or {})
    return found


def restore(ctx: ReleaseContext) -> list[str]:
    """Undo a failed cut that put nothing out: drop the tags it made, move the branch back
    over the release commit (the work tree is left alone), and put back each file it wrote,
    unless that file changed since (someone's edit: kept, and named in the answer)."""
    git, changes = ctx.git, ctx.changes
    for tag in [changes.tagged, *changes.tags]:
        if tag is not None:
            git.delete_tag(tag)
    start = changes.start_head
    assert start is not None
    kept: list[str] = []
    head = git.head()
    if head != start and git.rev_parse(f"{head}^")[0] == start:
        git.reset_soft(start)  # the release commit, and nothing after it
    elif head != start:
        kept.append(f"the commits after {start[:12]} (not undone: git log {start[:12]}..)")
    for path, after in sorted(changes.written.items()):
        if digest(ctx.root / path) != after:
            kept.append(f"{path} (changed since the cut wrote it)")
            git.unstage([path], start)
            continue
        if git.exists_at(start, path):
            git.checkout_paths([path], start)
        else:
            (ctx.root / path).unlink(missing_ok=True)
            git.unstage([path], start)
    return kept

"""`release resume`: finishing an interrupted cut from what its journal says.

Resume trusts the world, not the journal alone: it re-plans the release and every step's
`done` asks the repository, remote or registry whether its work is already there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from release.base.errors import BadInput, ExitCode
from release.commands.restore import refuse_dirty, restore_files
from release.commands.results import ReleasedResult, ResumeResult, Stopped
from release.commands.running import confirmed, released, run_steps
from release.commands.status import no_cut_running
from release.commands.ui import Ui
from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.plan.planning import plan, plan_behind_head, plan_tagged
from release.core.plan.release_commit import release_commit
from release.core.project import uv_lock
from release.steps import catalog
from release.steps.changelog.step import also_paths, changelog_path
from release.steps.version.bump import sites
from release.tools.git import Git

# done once the release commit is tagged (one tag: a lockstep cut has it, or nothing)
PREPARED = catalog.WRITE_THE_RELEASE_COMMIT | {"commit-tag"}


def resume(start: Path, ui: Ui, *, yes: bool) -> ReleasedResult | Stopped:
    """Steps whose work is already done are skipped: each asks the world."""
    no_cut_running(start)
    info = unfinished(Git.discover(start))
    if info.get("packages"):
        from release.commands.train_resume import resume_train

        return resume_train(start, info, ui, yes=yes)
    ctx = context_for_resume(start)
    # Killed before its commit, the cut starts again from HEAD: a new start in its journal.
    again = not ctx.git.tag_exists(ctx.tag)
    steps = catalog.cut_steps(ctx.config.git.mode)
    if ctx.release_commit is not None:  # committed and tagged, and merged since
        steps = [s for s in steps if s.name not in PREPARED]
    if not confirmed(ui, f"Resume {ctx.tag}?", yes=yes):
        return Stopped(exit_code=ExitCode.BAD_INPUT)
    return released(ctx, run_steps(ctx, steps, ui, resuming=not again), ResumeResult)


def unfinished(git: Git) -> dict[str, Any]:
    for journal in reversed(Journal.all(git.git_dir())):
        summary = journal.summary()
        if summary["state"] in {"interrupted", "failed"}:
            return summary
        if summary["state"] == "done":
            break
    raise BadInput(
        "there is no interrupted release to resume",
        hint="`release status` lists the releases this repository has journals for",
    )


def context_for_resume(start: Path) -> ReleaseContext:
    """The context of the interrupted cut, with the repository ready to continue it."""
    git = Git.discover(start)
    info = unfinished(git)
    tag = str(info["tag"])
    committed = release_commit(git, [tag])  # refused when HEAD does not contain it
    if committed is not None:
        # Tagged at HEAD; or committed on, or merged with a branch that moved, since.
        ctx = plan_tagged(start) if committed.at_head else plan_behind_head(start, tag)
        refuse_dirty(git, Journal(Path(info["journal"])), ctx.config.build.dist)
        return ctx
    # Killed before the release commit: at most the release's own files were changed, and
    # nothing left this machine. Put those files back and cut the same version again, from
    # HEAD as it is now (the user may have committed since).
    ctx = plan(start, str(info["version"]))
    _restore_release_files(ctx, Journal(Path(info["journal"])))
    return plan(start, str(info["version"]))


def _restore_release_files(ctx: ReleaseContext, journal: Journal) -> None:
    ours = {ctx.relpath(p) for p in [changelog_path(ctx), *also_paths(ctx)]}
    ours |= {ctx.relpath(site.path) for site in sites(ctx)}
    lock = ctx.layout.cargo.parent / "Cargo.lock" if ctx.layout.cargo else None
    if lock is not None:
        ours.add(ctx.relpath(lock))
    ours |= {ctx.relpath(found.path) for found in uv_lock.locks_of(ctx.root, ctx.layout.python)}
    restore_files(ctx.git, ours, journal, ctx.config.build.dist)

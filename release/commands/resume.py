"""`release resume`: finishing an interrupted cut from what its journal says.

Resume trusts the world, not the journal alone: it re-plans the release and every step's
`done` asks the repository, remote or registry whether its work is already there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from release.commands.results import ReleasedResult, ResumeResult, Stopped
from release.commands.running import confirmed, released, run_steps
from release.commands.status import no_cut_running
from release.commands.ui import Ui
from release.core import recovery
from release.core.context import ReleaseContext
from release.core.errors import BadInput, ExitCode, RepositoryError
from release.core.journal import Journal
from release.core.planning import plan, plan_behind_head, plan_tagged
from release.steps import catalog
from release.steps.bump import sites
from release.steps.changelog import changelog_path
from release.tools.git import Git

PREPARED = {"changelog", "bump", "commit-tag"}  # done once the release commit is tagged


def resume(start: Path, ui: Ui, *, yes: bool) -> ReleasedResult | Stopped:
    """Steps whose work is already done are skipped: each asks the world."""
    no_cut_running(start)
    info = unfinished(Git.discover(start))
    if info.get("packages"):
        from release.commands.train_run import resume_train

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
    if git.tag_exists(tag):
        release_commit = git.commit_of(tag)
        if git.is_ancestor(release_commit):
            if release_commit == git.head():
                ctx = plan_tagged(start)  # committed and tagged: continue from there
            else:
                ctx = plan_behind_head(start, tag)  # and merged with a branch that moved since
            refuse_dirty(git, Journal(Path(info["journal"])), ctx.config.build.dist)
            return ctx
        raise RepositoryError(
            f"HEAD does not contain the release commit of {tag} ({release_commit[:12]})",
            hint=f"git switch back to the branch {tag} was cut on (or merge {tag} into "
            "yours: git merge " + tag + "), then `release resume`",
        )
    # Killed before the release commit: at most the release's own files were changed, and
    # nothing left this machine. Put those files back and cut the same version again, from
    # HEAD as it is now (the user may have committed since).
    ctx = plan(start, str(info["version"]))
    _restore_release_files(ctx, Journal(Path(info["journal"])))
    return plan(start, str(info["version"]))


def refuse_dirty(git: Git, journal: Journal, dist: str, ours: set[str] | None = None) -> None:
    """A resume, like a cut, starts from a clean work tree: what it would commit, merge or
    restore must never take a person's uncommitted work with it. `ours`: files the
    interrupted cut wrote, which are not the user's while they are as the cut left them."""
    dirty = git.dirty_paths(outside=dist)
    written = recovery.written_files(journal.entries())
    # Before the commit, the files the journal says the cut wrote are its own too (a bump
    # rewrites dependency versions in manifests that are no version site).
    mine = (ours | set(written)) if ours is not None else set()

    def edited(path: str) -> bool:  # one of ours, changed again since the cut wrote it
        return path in written and recovery.digest(git.root / path) != written[path]

    users = [p for p in dirty if p not in mine or edited(p)]
    if users:
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        raise RepositoryError(
            f"the work tree has uncommitted changes: {shown}; resume leaves them alone",
            hint="commit them, or put them aside (git stash -u) and bring them back after "
            "the release (git stash pop); then `release resume`",
        )


def _restore_release_files(ctx: ReleaseContext, journal: Journal) -> None:
    ours = {ctx.relpath(changelog_path(ctx))}
    ours |= {ctx.relpath(site.path) for site in sites(ctx)}
    lock = ctx.layout.cargo.parent / "Cargo.lock" if ctx.layout.cargo else None
    if lock is not None:
        ours.add(ctx.relpath(lock))
    restore_files(ctx.git, ours, journal, ctx.config.build.dist)


def restore_files(git: Git, ours: set[str], journal: Journal, dist: str) -> None:
    """Put back the files a cut killed before its commit changed (`ours`, relative to the
    root); any other change in the work tree, or a change to one of ours since the cut
    wrote it, is the user's, and stops the resume."""
    refuse_dirty(git, journal, dist, ours)
    dirty = git.dirty_paths(outside=dist)
    tracked = git.tracked_files()
    to_checkout = [p for p in dirty if p in tracked]
    if to_checkout:
        git.checkout_paths(to_checkout)
    for path in dirty:
        if path not in tracked:
            (git.root / path).unlink(missing_ok=True)  # e.g. a CHANGELOG.md the cut created

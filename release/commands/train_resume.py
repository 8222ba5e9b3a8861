"""`release resume` of a train (independent mode): re-planned from its journal's versions,
from whatever HEAD contains its release commit, as a lockstep resume is (commands/resume.py);
every step's `done` asks the world, so each package is released exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from release.base.errors import ExitCode, RepositoryError
from release.base.versioning import Version
from release.commands import ci
from release.commands.restore import refuse_dirty, restore_files
from release.commands.results import ReleasedResult, ResumeResult, Stopped
from release.commands.running import confirmed
from release.commands.train import Train, plan_train
from release.commands.train_run import run_train
from release.commands.ui import Ui
from release.core.engine.journal import Journal
from release.core.engine.pipeline import Leg
from release.core.plan.release_commit import ReleaseCommit, release_commit
from release.steps import catalog
from release.steps.changelog.root import changelog_files
from release.steps.version.bump_package import bumped_files
from release.tools.git import Git


def resume_train(
    start: Path, info: dict[str, Any], ui: Ui, *, yes: bool
) -> ReleasedResult | Stopped:
    """Finish an interrupted train; each package's remaining steps run once."""
    train, committed = train_for_resume(start, info)
    legs = train.legs()
    if committed is not None and not committed.at_head:
        # The commit-tag step stays: it tags the release commit with a tag a kill left unmade.
        # The steps that read the sources run in a tree of the release commit, not in HEAD's
        # (core/engine/sources.py): what they put out is what the tags name.
        legs[0] = Leg(
            legs[0].ctx,
            [s for s in legs[0].steps if s.name not in catalog.WRITE_THE_RELEASE_COMMIT],
        )
    if not confirmed(ui, f"Resume {', '.join(train.tags)}?", yes=yes):
        return Stopped(exit_code=ExitCode.BAD_INPUT)
    # Killed before its commit, the train starts again from HEAD: a new start in its journal,
    # which a failure with nothing public restores to (as lockstep's resume does).
    results = run_train(train, legs, ui, resuming=committed is not None, partial=False)
    ci.packages_outputs(train.released(), done=True)
    return ResumeResult(train.info(), results)


def train_for_resume(start: Path, info: dict[str, Any]) -> tuple[Train, ReleaseCommit | None]:
    """The interrupted train, and its release commit once one was made (None: killed
    before it, and the train is planned again from the same versions)."""
    git = Git.discover(start)
    versions = {n: Version.parse(v) for n, v in _versions(info).items()}
    ours = list(dict.fromkeys(str(t) for t in (info.get("packages") or {}).values()))
    journal = Journal(Path(info["journal"]))
    committed = release_commit(git, ours)  # refused when HEAD does not contain it
    if committed is not None:
        # Its tags are not releases to plan from: the release they name is this one.
        train = plan_train(start, None, dict(versions), exclude=frozenset(committed.tags))
        assert train is not None
        if set(train.tags) != set(ours):
            raise RepositoryError(
                f"the interrupted cut released {', '.join(ours)}, but planned again here "
                f"it would release {', '.join(train.tags) or 'nothing'}",
                hint="put back what changed the plan since the release commit "
                f"({committed.commit[:12]}): the manifests, the [version] config; then resume",
            )
        if not committed.at_head:  # the steps look at the release commit, not at HEAD
            for ctx in train.ctxs:
                ctx.release_commit = committed.commit
        refuse_dirty(git, journal, train.lead.config.build.dist)
        return train, committed
    # Killed before the release commit: only the train's own files changed, and nothing left
    # this machine. Put them back and plan the same versions again, from HEAD as it is now
    # (the user may have committed since), as a lockstep cut does.
    train = plan_train(start, None, dict(versions))
    assert train is not None
    files = {train.lead.relpath(p) for p in changelog_files(train.ctxs)}
    for ctx in train.ctxs:
        files |= {ctx.relpath(p) for p in bumped_files(ctx)}
    restore_files(git, files, journal, train.lead.config.build.dist)
    again = plan_train(start, None, dict(versions))
    assert again is not None
    return again, None


def _versions(info: dict[str, Any]) -> dict[str, str]:
    start = next(
        (e for e in Journal(Path(info["journal"])).entries() if e.get("event") == "start"), {}
    )
    versions = start.get("versions")
    if not isinstance(versions, dict) or not versions:
        raise RepositoryError(
            f"the journal {info['journal']} does not say which packages were released",
            hint="start a new cut",
        )
    return {str(k): str(v) for k, v in versions.items()}

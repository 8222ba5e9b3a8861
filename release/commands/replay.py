"""`release replay`: the project's last releases, replayed. For each, in a scratch worktree at
the commit before its release commit, what release-toolkit would do with the config in force
(the versions, the tags, the files the prepare steps change, where the changelog's section
goes), compared with what the project did, every difference classified
(release.core.plan.replay_diff). Read-only for the repository and every remote."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from release.base.errors import BadInput, ReleaseError
from release.base.versioning import TagFormat, Version
from release.commands import replay_scratch as scratch
from release.commands.replay_release_commit import release_commit
from release.commands.replay_retired import prereleased, retired, untagged_versions
from release.commands.replay_scratch import Found
from release.commands.result import Result
from release.core.plan.replay_diff import (
    ASPECTS,
    Replayed,
    changelog_difference,
    file_differences,
    version_difference,
)
from release.core.settings import config as config_module
from release.tools.git import Git
from release.tools.git_history import tag_commits


@dataclass
class ReplayResult(Result):
    command: ClassVar[str] = "replay"
    releases: list[Replayed] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, int]]:
        total = len(self.releases)
        agree = {a: sum(1 for r in self.releases if r.agrees(a)) for a in ASPECTS}
        kinds: dict[str, int] = {}
        for r in self.releases:
            for d in r.differences:
                kinds[d.kind] = kinds.get(d.kind, 0) + 1
        return {"agree": agree, "differences": kinds, "releases": {"replayed": total}}

    def payload(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "releases": [r.as_dict() for r in self.releases],
        }


def replay(start: Path, last: int = 10) -> ReplayResult:
    if last < 1:
        raise BadInput("--last must be at least 1", hint="e.g. `release replay --last 10`")
    git = Git.discover(start)
    cfg = config_module.load(git.root)
    formats = _formats(git, cfg)
    found = releases(git, formats, last)
    result = ReplayResult()
    if not found:
        result.notes.append("no release tag of the configured format is reachable from HEAD")
    with offline(), removed_when_stopped():
        for release in found:
            result.releases.append(replay_one(git, cfg, release, independent="" not in formats))
    return result


@contextmanager
def removed_when_stopped() -> Iterator[None]:
    """A SIGTERM (a CI timeout) exits through the `finally` that removes the scratch
    worktree, instead of leaving it registered in the repository."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def offline() -> Iterator[None]:
    """git-cliff asks no remote (GitHub's API for PR numbers) while replaying: a replay reads
    the repository alone."""
    before = os.environ.get("GIT_CLIFF_OFFLINE")
    os.environ["GIT_CLIFF_OFFLINE"] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ["GIT_CLIFF_OFFLINE"]
        else:
            os.environ["GIT_CLIFF_OFFLINE"] = before


def _formats(git: Git, cfg: config_module.Config) -> dict[str, TagFormat]:
    """package -> its tag format; "" -> the one format of a lockstep repository."""
    from release.core.plan.release_mode import is_independent

    if not is_independent(git, cfg):
        return {"": TagFormat(cfg.version.tag_format)}
    from release.core.plan.package_tags import tag_style
    from release.core.project.layout import detect
    from release.core.project.packages import discover

    names = [p.name for p in discover(git.root, cfg, detect(git.root, cfg))]
    style = tag_style(git.tags("*"), names)
    return {name: TagFormat(cfg.version.package_format(name, style)) for name in names}


def releases(git: Git, formats: dict[str, TagFormat], last: int) -> list[Found]:
    """The last `last` release commits reachable from HEAD (final versions), oldest first;
    each with the tags that point at it. A root commit has nothing before it to replay."""
    by_commit: dict[str, dict[str, tuple[str, Version]]] = {}  # a root commit has no "before"
    pre: dict[str, set[str]] = {}  # commit -> the prerelease versions tagged on it
    for tag, commit in tag_commits(git, merged=True).items():
        matches = [(n, f, v) for n, f in formats.items() if (v := f.parse(tag)) is not None]
        if not matches:
            continue
        # The most specific format wins: `tool-v{version}` over `v{version}`; a group's
        # members share theirs, and its one tag.
        best = max(len(f.template) for _, f, _ in matches)
        for name, fmt, version in matches:
            if len(fmt.template) != best:
                continue
            if not version.prerelease:
                by_commit.setdefault(commit, {})[name] = (tag, version)
            else:
                pre.setdefault(commit, set()).add(str(version))
    if not by_commit:
        return []
    dated = git.out("show", "-s", "--format=%H %ct", *by_commit).splitlines()
    # By commit time; within one second, by version (a fast scripted history).
    order = sorted(
        (int(time), max(v for _, v in by_commit[commit].values()), commit)
        for commit, _, time in (line.partition(" ") for line in dated)
        if commit in by_commit
    )
    commits = [commit for _, _, commit in order if scratch.has_parent(git, commit)]
    # A tag put after its release commit is read at that commit (replay_release_commit).
    moved = [
        release_commit(git, Found(c, by_commit[c], tuple(sorted(pre.get(c, ())))))
        for c in commits[-last:]
    ]
    at: dict[str, Found] = {}
    for found in moved:  # two tags moved to one commit are one release
        at[found.commit] = (
            Found(found.commit, {**at[found.commit].tags, **found.tags}, found.prereleases)
            if found.commit in at
            else found
        )
    return list(at.values())


def replay_one(git: Git, cfg: config_module.Config, found: Found, *, independent: bool) -> Replayed:
    theirs_versions = {name: str(version) for name, (_, version) in found.tags.items()}
    replayed = Replayed(found.commit, {n: t for n, (t, _) in found.tags.items()}, theirs_versions)
    names = {cfg.changelog.path, *cfg.changelog.also}
    theirs = scratch.theirs(git, found.commit, names, set(theirs_versions.values()))
    replayed.theirs_files, replayed.theirs_changelog = theirs.files, theirs.changelogs
    where = ""  # the scratch tree's path, left out of messages
    try:
        with scratch.scratch_worktree(git, f"{found.commit}^1") as tree:
            where = f"{tree}/"
            ignore = scratch.carry_config(git.root, tree, cfg)
            logs = names | set(theirs.changelogs)
            if independent:
                from release.commands.replay_train import replay_train

                ours = replay_train(tree, found, replayed, ignore, logs)
            else:
                ours = _lockstep(tree, cfg, found, replayed, ignore, logs)
    except ReleaseError as exc:
        replayed.error = exc.message.replace(where, "") if where else exc.message
        return replayed
    except OSError as exc:  # a file the config names did not exist at that release
        text = f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc)
        replayed.error = text.replace(where, "") if where else text
        return replayed
    replayed.ours_files, replayed.ours_changelog = ours.files, ours.changelogs
    _compare_files(git, replayed, set(theirs_versions.values()), set(found.prereleases))
    return replayed


def _lockstep(
    tree: Path,
    cfg: config_module.Config,
    found: Found,
    replayed: Replayed,
    ignore: set[str],
    names: set[str],
) -> scratch.Prepared:
    from release.core.plan.planning import plan

    version = found.tags[""][1]
    cfg = scratch.config_then(cfg, tree)
    computed = plan(tree, None, None, cfg=cfg)
    replayed.ours_versions[""] = scratch.version_text(computed.version)
    difference = version_difference("", computed.version, version, scratch.history_of(computed))
    replayed.differences += [difference] if difference else []
    at_theirs = plan(tree, str(version), None, cfg=cfg)  # files and text at their version
    replayed.ours_tags[""] = at_theirs.tag
    replayed.failed = scratch.run_prepare(at_theirs, scratch.lockstep_steps())
    return scratch.changed(tree, ignore, names)


def _compare_files(git: Git, replayed: Replayed, versions: set[str], pre: set[str]) -> None:
    from release.core.plan.replay_diff import Difference

    for name, tag in replayed.theirs_tags.items():
        ours = replayed.ours_tags.get(name)
        if ours is not None and ours != tag:
            why = f"{name or 'the project'}'s tag format is not the one configured"
            replayed.differences.append(Difference("tag", "defect", ours, tag, why))
    if "changelog" in replayed.failed:  # not written: the changelogs are not compared
        replayed.theirs_files -= set(replayed.theirs_changelog)
    missing = replayed.theirs_files - replayed.ours_files
    carrying = scratch.carries_version(git, replayed.commit, missing, versions)
    # other packages' releases in the commit: prereleases, versions without a tag
    others = pre | untagged_versions(git, replayed.commit, missing - carrying, versions)
    changelogs = set(replayed.theirs_changelog) | set(replayed.ours_changelog)
    replayed.differences += file_differences(
        replayed.ours_files,
        replayed.theirs_files,
        carrying,
        changelogs,
        frozenset(replayed.dependents),
        retired=frozenset(retired(git, replayed.commit, carrying, versions)),
        prereleased=frozenset(prereleased(git, replayed.commit, missing - carrying, others)),
        by_hand=frozenset(
            path
            for path, placed in replayed.theirs_changelog.items()
            if placed is not None and (placed.level is None or placed.rewrote)
        ),
    )
    for path, placed in replayed.theirs_changelog.items():
        mine = replayed.ours_changelog.get(path)
        if placed is not None and mine is not None:
            difference = changelog_difference(path, mine, placed)
            replayed.differences += [difference] if difference else []

"""Where HEAD stands to an interrupted release's commit: at it, past it (a commit on top, a
merge of the branch that moved), or off it (another branch, a rewritten history). `release
resume` of a lockstep cut and of a train, and `release status`, read the same answer, so they
tell the same story."""

from __future__ import annotations

from dataclasses import dataclass

from release.base.errors import RepositoryError
from release.tools.git import Git


@dataclass(frozen=True)
class ReleaseCommit:
    commit: str  # what the release's tags point at
    tags: list[str]  # the release's tags that exist (a kill between two tags made some)
    at_head: bool  # False: HEAD has moved on past it, and the steps look at it, not at HEAD


def release_commit(git: Git, tags: list[str]) -> ReleaseCommit | None:
    """The release commit of the release named by `tags`, once HEAD contains it; None when
    none of its tags was made yet (killed before its commit). A HEAD that does not contain
    it is refused: resuming from there would release commits the tags do not name."""
    made = [t for t in tags if git.tag_exists(t)]
    if not made:
        return None
    commits = {t: git.commit_of(t) for t in made}
    named = ", ".join(made)
    if len(set(commits.values())) > 1:
        shown = ", ".join(f"{t} at {c[:12]}" for t, c in commits.items())
        raise RepositoryError(
            f"the tags of one release point at different commits: {shown}",
            hint="a tag was moved by hand; put it back on the release commit "
            "(git tag -f -a TAG COMMIT), then `release resume`",
        )
    commit = commits[made[0]]
    if not git.is_ancestor(commit):
        raise RepositoryError(
            f"HEAD does not contain the release commit of {named} ({commit[:12]})",
            hint=f"git switch back to the branch {named} {'was' if len(made) == 1 else 'were'} "
            f"cut on (or merge it into yours: git merge {made[0]}), then `release resume`; "
            "nothing was changed",
        )
    return ReleaseCommit(commit, made, commit == git.head())


@dataclass(frozen=True)
class HeadStory:
    """What `release status` says of HEAD and an unfinished release: the checks `release
    resume` makes, nothing changed."""

    resumable: bool  # False: resume refuses from this HEAD, `said` says what to do
    said: str | None  # None: nothing to add (HEAD is the release commit, or no tag yet)
    commit: str | None  # the release commit, once made


def head_story(git: Git, tags: list[str]) -> HeadStory:
    try:
        found = release_commit(git, tags)
    except RepositoryError as exc:
        return HeadStory(False, f"{exc.message}: {exc.hint}", None)
    if found is None:
        return HeadStory(True, None, None)
    if found.at_head:
        return HeadStory(True, None, found.commit)
    said = (
        f"HEAD has moved on past its release commit ({found.commit[:12]}): `release resume` "
        "continues from that commit, and pushes HEAD"
    )
    return HeadStory(True, said, found.commit)

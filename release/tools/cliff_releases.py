"""One package's whole changelog in a monorepo, through git-cliff.

git-cliff filters commits by path before it looks for tags, so a release whose tagged
commit touched only other folders loses its tag, and its commits fall into the next
release or into "unreleased" (orhun/git-cliff#208, still so in 2.14). Here one `--context`
run reads the package's commits (its paths, the project's parsers and filters, no tag
matched), the releases are cut at the package's own tags by ancestry (a commit belongs to
the lowest version whose tag contains it, as `A..B` ranges of the tags would say), and
git-cliff renders them with the project's templates (`--from-context`). A release is dated
by its tagged commit, as git-cliff dates it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release.base.versioning import TagFormat, Version
from release.tools import cliff
from release.tools.git import Git

Release = dict[str, Any]  # a release of git-cliff's context (`--context`)
_RECORD, _FIELD = "\x02", "\x03"
_DAY = 86400


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    timestamp: int  # the tagged commit's commit time: git-cliff's release date
    message: str | None  # an annotated tag's message


class History:
    """HEAD's commits with their parents, children first, and the tags reachable from HEAD:
    read once (two git calls) for every package of the repository."""

    def __init__(self, git: Git) -> None:
        self.git = git
        rows = git.out("rev-list", "--topo-order", "--parents", "HEAD").splitlines()
        self.parents = [(oid, rest.split()) for oid, _, rest in (r.partition(" ") for r in rows)]
        fields = _FIELD.join(
            [
                "%(refname:strip=2)",
                "%(objecttype)",
                "%(objectname)",
                "%(*objectname)",
                "%(committerdate:unix)",
                "%(*committerdate:unix)",
                "%(contents:subject)",
                "%(contents:body)",
            ]
        )
        out = git.out("for-each-ref", "--merged=HEAD", f"--format={fields}%02", "refs/tags")
        self.tags: dict[str, Tag] = {}
        for record in out.split(_RECORD):
            parts = record.lstrip("\n").split(_FIELD)
            if len(parts) != 8:
                continue
            name, kind, obj, peeled, time, peeled_time, subject, body = parts
            message = f"{subject}\n\n{body}".strip() if kind == "tag" else None
            commit, stamp = (peeled, peeled_time) if kind == "tag" else (obj, time)
            if commit and stamp:  # a tag of a tree or a blob is no release
                self.tags[name] = Tag(name, commit, int(stamp), message)

    def releases_of(self, fmt: TagFormat) -> list[Tag]:
        """The tags of `fmt` reachable from HEAD, prereleases too, lowest version first."""
        found: list[tuple[Version, Tag]] = []
        for name, tag in self.tags.items():
            version = fmt.parse(name)
            if version is not None:
                found.append((version, tag))
        return [tag for _, tag in sorted(found, key=lambda pair: pair[0])]

    def first_release(self, tags: list[Tag]) -> dict[str, int]:
        """commit -> the index in `tags` of the first one that contains it. A bit per tag is
        pushed from each tagged commit to its parents, children first: one pass."""
        masks: dict[str, int] = {}
        for index, tag in enumerate(tags):
            masks[tag.commit] = masks.get(tag.commit, 0) | (1 << index)
        for oid, parents in self.parents:
            mask = masks.get(oid)
            if mask:
                for parent in parents:
                    masks[parent] = masks.get(parent, 0) | mask
        return {oid: (mask & -mask).bit_length() - 1 for oid, mask in masks.items() if mask}


def package_releases(
    history: History,
    config: Path,
    fmt: TagFormat,
    include: list[str],
    exclude: list[str],
) -> list[Release]:
    """The package's releases in git-cliff's context shape, newest first (its unreleased
    commits first, when there are any). A release left without commits is dropped unless it
    is the first, as one git-cliff run does; no commit at all: no release."""
    read = cliff.context(
        history.git.root, config, rev_range=None, include_paths=include, exclude_paths=exclude
    )
    if not read:
        return []
    skeleton = read[0]
    commits = [commit for release in reversed(read) for commit in release.get("commits") or []]
    tags = history.releases_of(fmt)
    owner = history.first_release(tags)
    buckets: list[list[dict[str, Any]]] = [[] for _ in range(len(tags) + 1)]
    for commit in commits:
        buckets[owner.get(str(commit.get("id")), len(tags))].append(commit)
    previous = _empty(skeleton)
    made: list[Release] = []
    for index, (tag, own) in enumerate(zip(tags, buckets, strict=False)):
        release = _release(skeleton, own, previous, tag)
        previous = release
        if own or index == 0:
            made.append(release)
    if buckets[-1]:
        made.append(_release(skeleton, buckets[-1], previous, None))
    return list(reversed(made))


def merged(packages: list[list[Release]]) -> list[Release]:
    """The releases of several packages in one changelog, newest first (by date, then in
    the order of `packages`), the unreleased commits of all of them (each once) in one
    release on top."""
    released = [r for releases in packages for r in releases if r.get("version")]
    released.sort(key=lambda r: r.get("timestamp") or 0, reverse=True)  # ties: package order
    pending = [r for releases in packages for r in releases if not r.get("version")]
    if not pending:
        return released
    seen: set[str] = set()
    commits = []
    for release in pending:
        for commit in release.get("commits") or []:
            if commit.get("id") not in seen:
                seen.add(str(commit.get("id")))
                commits.append(commit)
    commits.sort(key=_commit_time)
    top = copy.copy(pending[0])
    top["commits"] = commits
    top["statistics"] = _statistics(commits, None, None)
    return [top, *released]


def render(repo: Path, config: Path, releases: list[Release]) -> str:
    """The whole changelog of `releases`, header and footer included."""
    return cliff.render_context(repo, config, releases)


def _release(
    skeleton: Release, commits: list[dict[str, Any]], previous: Release, tag: Tag | None
) -> Release:
    release = copy.copy(skeleton)
    release["commits"] = commits
    release["previous"] = {**previous, "previous": None}  # one level, as git-cliff nests it
    times = sorted(commits, key=_commit_time)
    release["commit_range"] = (
        {"from": times[0].get("id"), "to": times[-1].get("id")} if times else None
    )
    if tag is not None:
        release.update(version=tag.name, message=tag.message, commit_id=tag.commit)
        release["timestamp"] = tag.timestamp
    release["statistics"] = _statistics(commits, release.get("timestamp"), previous)
    return release


def _empty(skeleton: Release) -> Release:
    """The release before the first, as git-cliff's context has it."""
    empty = copy.copy(skeleton)
    for key in ("version", "message", "commit_id", "timestamp", "previous", "repository"):
        empty[key] = None
    empty.update(commits=[], commit_range=None, statistics=None)
    return empty


def _commit_time(commit: dict[str, Any]) -> int:
    committer = commit.get("committer") or {}
    return int(committer.get("timestamp") or 0)


def _statistics(
    commits: list[dict[str, Any]], timestamp: int | None, previous: Release | None
) -> dict[str, Any]:
    """What git-cliff's `statistics` says of a release; it does not count them again for a
    context it is given."""
    times = [_commit_time(c) for c in commits]
    links: dict[tuple[str, str], int] = {}
    for commit in commits:
        for link in commit.get("links") or []:
            key = (str(link.get("text")), str(link.get("href")))
            links[key] = links.get(key, 0) + 1
    counted = sorted(links.items(), key=lambda item: -item[1])  # stable: first seen first
    stats: dict[str, Any] = {
        "commit_count": len(commits),
        "commits_timespan": (max(times) - min(times)) // _DAY if times else None,
        "conventional_commit_count": sum(1 for c in commits if c.get("conventional")),
        "links": [{"text": t, "href": h, "count": n} for (t, h), n in counted],
    }
    before = previous.get("timestamp") if previous else None
    if timestamp and before:
        stats["days_passed_since_last_release"] = (timestamp - before) // _DAY
    return stats

"""The whole changelog in two git-cliff runs, whatever the number of tags.

git-cliff 2.14's single run pays for every release tag a walk of the history (nuxt/nuxt,
15,442 commits and 336 tags: 11.5 s of CPU; 1.0 s with no tag). Here git-cliff parses the
whole history once with no tag (the project's preprocessors, parsers, skip rules and
filters; each kept commit printed as JSON), we give each kept commit to its release as the
single run does, and git-cliff renders those releases with the project's templates
(`--from-context`).

How the single run gives commits to releases (git-cliff 2.14.2, found by comparing with it
on nuxt/nuxt, vuejs/core and generated histories): the matching tags of HEAD's history are
sorted by their commit's time (stable, from libgit2's listing by name; a later tag of the
same commit takes the earlier one's place); a commit belongs to the first of them that has
it in its history, else to the unreleased section; inside a release the commits keep the
order of the walk of HEAD (libgit2's topological order, the tag-less run's order). A release
its parsers leave empty is dropped, but for the oldest.

Where a template or an option could see a difference, `cliff_whole.whole_changelog` answers None and
the caller renders otherwise.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from release.tools.cliff_walk import Tag

# A release: its tag (None: unreleased), its commits' JSON (UTF-8, as git-cliff printed it:
# passed on to the render undecoded), the release before it.
Section = tuple[Tag | None, list[bytes], Tag | None]

# What a template may read that this path does not build as one run does: the release
# before but for its version, time and message (its unparsed commits...), aggregates, ids
# and ranges of unparsed commits, the repository path, remote data, the whole context.
PREVIOUS = re.compile(r"\bprevious\.(version|timestamp|message)\b")
_BLOCKED = re.compile(
    r"\b(previous|statistics|commit_range|commit_id|repository|submodule_commits|"
    r"github|gitlab|gitea|bitbucket|azure_devops|remote|__tera_context)\b"
)
# [git] options whose effect the tag-less run reproduces; any other option set: one run.
_PARSING = frozenset(
    {
        "conventional_commits",
        "require_conventional",
        "filter_unconventional",
        "commit_preprocessors",
        "commit_parsers",
        "protect_breaking_commits",
        "link_parsers",
        "filter_commits",
        "fail_on_unmatched_commit",
        "tag_pattern",  # replaced by our --tag-pattern, as in one run
        "sort_commits",
        "split_commits",
        "topo_order_commits",
    }
)
NO_TAG = "^$release-toolkit-no-tag"
_REMOTES = ("github", "gitlab", "gitea", "bitbucket", "azure_devops")
# One commit a line, newest first (`--sort newest`): JSON holds no raw newline. Only what
# `--from-context` reads back (git-cliff's `Commit`): the rest it computes again from
# `raw_message` (body, footers, breaking...) or leaves at its default (statistics); the
# deprecated remote fields it must read are empty (we are offline). A third of the whole
# commit's bytes, which the render reads faster.
_FIELDS = ("id", "message", "group", "scope", "links", "author", "committer", "merge_commit")
COMMITS_BODY = (
    "{% for c in commits %}{"
    + ",".join(f'"{name}":{{{{ c.{name} | json_encode() }}}}' for name in _FIELDS)
    + ',"extra":{{ c.extra | json_encode() }},"raw_message":{{ c.raw_message | json_encode() }}'
    + "".join(f',"{name}":{{"is_first_time":false,"pr_labels":[]}}' for name in _REMOTES)
    + "}\n{% endfor %}"
)
_ID = b'"id":"'  # a key: inside a JSON string a quote is always escaped
_NO_REMOTE = '{"contributors":[]}'


def usable(config: dict[str, Any]) -> bool:
    """Whether the two-run path gives one run's bytes for this config."""
    changelog, git = config.get("changelog", {}), config.get("git", {})
    if config.get("remote") or changelog.get("render_always") or changelog.get("output"):
        return False
    templates = [str(changelog.get(key) or "") for key in ("header", "body", "footer")]
    if any(_BLOCKED.search(PREVIOUS.sub("", text)) for text in templates):
        return False
    # A commit that is not conventional would become one when git-cliff reads it back
    # (`--from-context` parses every message again); a split commit keeps the parse of
    # its whole message.
    if git.get("conventional_commits") is not True or git.get("split_commits"):
        return False
    if git.get("topo_order_commits", True) is not True:
        return False  # libgit2's time sort, which no git command repeats
    if str(git.get("sort_commits", "oldest")).lower() not in ("oldest", "newest"):
        return False
    if "limit_commits" in git or any(
        value not in (False, "", [], None) for key, value in git.items() if key not in _PARSING
    ):
        return False
    # git-cliff reads its config from GIT_CLIFF__* variables too
    return not any(name.startswith("GIT_CLIFF__") for name in os.environ)


def kept_commits(output: bytes) -> list[tuple[str, bytes]]:
    """(id, JSON) of each commit the tag-less run kept (COMMITS_BODY), oldest first."""
    found = []
    for line in reversed(output.split(b"\n")):
        at = line.find(_ID) + len(_ID)
        oid = line[at : line.find(b'"', at)] if at >= len(_ID) else b""
        if len(oid) in (40, 64):  # SHA-1 or SHA-256
            found.append((oid.decode("ascii"), line))
    return found


def releases(
    parents: dict[str, list[str]], commits: Sequence[tuple[str, bytes]], tags: Sequence[Tag]
) -> list[Section] | None:
    """Each release of one run, oldest first, with its commits' JSON in walk order (oldest
    first) and the release before it (also one the parsers left empty; None: none); the
    unreleased section last (tag None). `parents`: HEAD's history; `commits`: the tag-less
    run's (id, JSON), oldest first; `tags`: the pattern's tags of HEAD's history, by ref
    name. None where this cannot be one run's answer."""
    ordered = _in_time_order(tags)
    if not ordered:
        return None
    owner: dict[str, int] = {}
    for index, tag in enumerate(ordered):
        if tag.commit in owner:
            return None  # an older tag has this one's commit: a release of no commit at all
        # Tags of the same second: one run went by version (v1.0.0-alpha.1 before v1.0.0,
        # v1.0.1 before v1.1.0-alpha.1); where a name is no version and they share
        # history, we cannot tell its order.
        tied = {i for i in range(index) if ordered[i].time == tag.time}
        unsure = _version_key(tag.name) is None or any(
            _version_key(ordered[i].name) is None for i in tied
        )
        stack = [tag.commit]
        while stack:
            oid = stack.pop()
            if oid in owner:
                if unsure and owner[oid] in tied:
                    return None
                continue
            owner[oid] = index
            stack.extend(parents.get(oid, ()))
    sections: list[list[bytes]] = [[] for _ in range(len(ordered) + 1)]
    for oid, row in commits:
        if oid not in parents:
            return None  # not HEAD's history as git read it
        sections[owner.get(oid, len(ordered))].append(row)
    found = list(zip([*ordered, None], sections, [None, *ordered], strict=True))
    # One run drops a release its parsers leave empty, but for the oldest (the release
    # before it has no commit either); render_always is not used here.
    return [section for index, section in enumerate(found) if section[1] or index == 0]


def _in_time_order(tags: Sequence[Tag]) -> list[Tag]:
    """git-cliff sorts the tags by their commit's time, of one second by version, into a
    map by commit: a later tag of the same commit (by name, libgit2's listing) replaces the
    earlier one's name but keeps its place."""
    by_commit: dict[str, Tag] = {}
    for tag in sorted(tags, key=lambda t: t.ref.encode()):
        by_commit[tag.commit] = tag
    return sorted(by_commit.values(), key=lambda t: (t.time, _version_key(t.name) or ()))


_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def _version_key(name: str) -> tuple[Any, ...] | None:
    """Semantic versioning's precedence of the version in a tag name (after a prefix)."""
    match = _SEMVER.search(name)
    if match is None:
        return None
    major, minor, patch, pre = match.groups()
    if pre is None:
        return (int(major), int(minor), int(patch), 1)
    fields = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (int(major), int(minor), int(patch), 0, fields)


def context_json(found: Sequence[Section], newest_first: bool) -> bytes:
    """git-cliff's context (newest release first) of `found`, its commits' JSON as the
    tag-less run printed them."""
    parts = []
    for tag, rows, previous in reversed(found):
        before = _release_json(previous, b"[]", None)
        commits = b",".join(reversed(rows) if newest_first else rows)
        parts.append(_release_json(tag, b"[" + commits + b"]", before))
    return b"[" + b",".join(parts) + b"]"


def _release_json(tag: Tag | None, commits: bytes, previous: bytes | None) -> bytes:
    head: dict[str, Any] = {
        "version": tag.name if tag else None,
        "message": tag.message if tag else None,
        "commit_id": tag.commit if tag else None,
        "timestamp": tag.time if tag else None,
        "repository": None,
        "commit_range": None,
        "submodule_commits": {},
        "statistics": None,
        "extra": None,
        "bump_type": None,
    }
    remotes = ",".join(f'"{name}":{_NO_REMOTE}' for name in _REMOTES)
    opening = f'{json.dumps(head)[:-1]},{remotes},"previous":'.encode()
    return opening + (previous or b"null") + b',"commits":' + commits + b"}"


def run_cliff(
    args: list[str], root: Path, context: bytes | None = None, stderr: list[str] | None = None
) -> bytes | None:
    """git-cliff's output, undecoded (release.tools.run.text_of reads it as text), its
    warnings collected (and its stderr added to `stderr`); None when it failed (the
    caller's other path says why)."""
    from release.tools import cliff_warnings
    from release.tools.run import run

    env = cliff_warnings.log_env()  # its INFO tracing costs as much as the parse
    proc = run(args, cwd=root, input=context, check=False, withhold_secrets=True, env=env, raw=True)
    if proc.returncode != 0:
        return None
    cliff_warnings.collect(proc.stderr)
    if stderr is not None:
        stderr.append(proc.stderr)
    return proc.raw

"""The whole changelog of one git-cliff run with the commits whose message is not valid UTF-8
put back, for what the tag-less path does not take (release.tools.cliff_context.usable: an
option such as `ignore_tags`, a template reading what it does not build).

One run over the whole history, with the project's config and a body that prints each
release's context, gives the releases as the config's options make them; each such commit,
parsed from git's reading (release.tools.cliff_unreadable), goes to the oldest release whose
tag has it in its history (the unreleased section otherwise; none, where that tag is skipped),
in its place in the walk, and git-cliff renders the releases (`--from-context`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from release.tools.cliff_walk import Tag


def whole_changelog(root: Path, config: Path, tag_pattern: str, ids: list[str]) -> str:
    """The whole changelog with the commits `ids` (cliff_recover.walked_unreadable) in it."""
    from release.base.errors import ConfigError
    from release.tools import cliff, cliff_unreadable, cliff_unreadable_parse, cliff_walk

    data = cliff.load_config(config)
    parsed = cliff_unreadable_parse.parsed_commits(root, config, data, ids, signed=True)
    if parsed is None:
        raise ConfigError(
            f"git-cliff could not parse the commits {', '.join(i[:10] for i in ids)} "
            f"with {config.name}",
            hint="run `release verify` for git-cliff's message",
            where=str(config),
        )
    releases = _releases(root, config, tag_pattern, ids)
    history = cliff_walk.history(root)
    newest = str(data.get("git", {}).get("sort_commits", "oldest")).lower() == "newest"
    owner = _owners(history, releases, _skipped_tags(root, data, tag_pattern, history))
    place = {oid: index for index, oid in enumerate(history)}
    tagged = list(releases)  # `owner`'s indexes, before an unreleased section is added
    for oid, commit in parsed.items():
        if commit is None:
            continue  # the project's parsers skip it
        home = owner.get(oid)
        if home == _SKIPPED:
            continue  # its tag's release is skipped (`skip_tags`), with all its commits
        release = tagged[home] if home is not None else _unreleased(releases)
        commits: list[dict[str, Any]] = list(release.get("commits") or [])
        if newest:
            commits.reverse()
        at = sum(1 for c in commits if place.get(str(c.get("id")), -1) < place[oid])
        commits.insert(at, commit)
        release["commits"] = list(reversed(commits)) if newest else commits
        counted = release.get("statistics")
        if isinstance(counted, dict):  # its links, timespan and range stay the run's
            counted["commit_count"] = counted.get("commit_count", 0) + 1
            if cliff_unreadable.conventional(str(commit.get("raw_message") or "")):
                counted["conventional_commit_count"] = (
                    counted.get("conventional_commit_count", 0) + 1
                )
    return cliff.render_context(root, config, releases)


_SKIPPED = -1
# Each release as its body sees it, as JSON (Tera's whole context: the release, `previous`,
# its commits as this run parsed them).
_DUMP = "{{ __tera_context }}\n"


def _releases(root: Path, config: Path, tag_pattern: str, ids: list[str]) -> list[dict[str, Any]]:
    """One git-cliff run's releases, newest first, the commits `ids` left out: rendered with
    a body that prints each release's context, which is what the templates see (no
    `--context`: it first computes every commit's diff statistics, 4 ms a commit)."""
    from release.tools import cliff, cliff_read, cliff_warnings
    from release.tools.run import run

    with cliff_read.rendering(config, _DUMP) as reading:
        args = [cliff.binary(), "--config", str(reading), "--tag-pattern", tag_pattern]
        args += [arg for oid in ids for arg in ("--skip-commit", oid)]
        env = cliff_warnings.log_env()
        proc = run(args, cwd=root, check=False, withhold_secrets=True, env=env)
    if proc.returncode != 0:  # git-cliff's error, told as a render's
        return cliff.context(root, config, rev_range=None, tag_pattern=tag_pattern, skip=ids)
    cliff_warnings.collect(proc.stderr)
    releases: list[dict[str, Any]] = cliff_read.json_lines(proc.stdout)
    return releases


def _skipped_tags(
    root: Path, data: dict[str, Any], tag_pattern: str, history: dict[str, list[str]]
) -> list[Tag]:
    """The tags of HEAD's history whose release one run leaves out with its commits."""
    from release.tools import cliff_walk

    skip = data.get("git", {}).get("skip_tags")
    if not skip:
        return []
    try:
        found = cliff_walk.tags(root, tag_pattern, history)
    except LookupError:
        return []
    return [tag for tag in found if re.search(str(skip), tag.name)]


def _owners(
    history: dict[str, list[str]], releases: list[dict[str, Any]], skipped: list[Tag]
) -> dict[str, int]:
    """Each commit of `history`'s release (an index into `releases`, newest first;
    _SKIPPED: a skipped tag's): the oldest release whose tag has it in its history."""
    tips = [(r.get("timestamp") or 0, str(r["commit_id"]), i) for i, r in enumerate(releases)]
    tips = [tip for tip, release in zip(tips, releases, strict=True) if release.get("version")]
    tips += [(tag.time, tag.commit, _SKIPPED) for tag in skipped]
    owner: dict[str, int] = {}
    for _, tip, index in sorted(tips, key=lambda tip: tip[0]):
        stack = [tip]
        while stack:
            oid = stack.pop()
            if oid in owner or oid not in history:
                continue
            owner[oid] = index
            stack.extend(history[oid])
    return owner


def _unreleased(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The unreleased section, made where the run has none (its commits were all dropped)."""
    if releases and not releases[0].get("version"):
        return releases[0]
    newest = releases[0] if releases else {}
    release = {**newest, "version": None, "message": None, "commit_id": None}
    release.update(timestamp=None, commits=[], previous={**newest, "commits": []})
    releases.insert(0, release)
    return release

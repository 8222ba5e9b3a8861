"""`release changelog`: the whole changelog, or the unreleased section, through git-cliff."""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

from release.base.errors import BadInput, ExitCode
from release.base.versioning import TagFormat
from release.commands.result import ChangelogResult
from release.core.engine.journal import state_dir
from release.core.plan.planning import find_releases
from release.core.plan.release_mode import independent_plan
from release.core.settings import config as config_module
from release.tools import cliff, cliff_history, cliff_warnings
from release.tools.git import Git


def write_changelog(
    start: Path, *, unreleased: bool, output: Path | None, package: str | None = None
) -> ChangelogResult:
    """`release changelog`: written atomically into `output`, or for stdout. In independent
    mode, each package's changelog (release.commands.changelog_packages)."""
    git = Git.discover(start)
    cfg = config_module.load(git.root)
    plans = independent_plan(git, cfg, None)
    cliff_warnings.take()
    if plans is not None:
        from release.commands.changelog_packages import package_changelogs

        result = package_changelogs(
            git, cfg, plans, unreleased=unreleased, output=output, package=package
        )
        return _with_warnings(result)
    if package is not None:
        raise BadInput(
            f"--package {package!r}: this repository is versioned in lockstep, one changelog",
            hint='--package is for independent versions ([version] mode = "independent")',
        )
    text = lockstep_text(git, cfg, unreleased=unreleased)
    if output is not None:
        from release.base.fsutil import atomic_write

        atomic_write(output.resolve(), text)
    return _with_warnings(ChangelogResult(text, output))


def _with_warnings(result: ChangelogResult) -> ChangelogResult:
    """git-cliff's warnings, said on stderr; commits it skipped are missing from the text,
    which is no success (exit 3)."""
    warnings = cliff_warnings.take()
    skipped = cliff_warnings.skipped(warnings)
    result.notes += [f"git-cliff warned: {w}" for w in warnings]
    if skipped:
        result.notes.append(
            f"git-cliff skipped {skipped} commit(s): they are missing from this changelog "
            "(`release verify` names the command of cliff.toml that is not installed)"
        )
        result.exit_code = ExitCode.PROBLEMS
    return result


def changelog_text(start: Path, *, unreleased: bool) -> str:
    git = Git.discover(start)
    return lockstep_text(git, config_module.load(git.root), unreleased=unreleased)


def lockstep_text(git: Git, cfg: config_module.Config, *, unreleased: bool) -> str:
    """The repository's one changelog, or its unreleased section."""
    fmt = TagFormat(cfg.version.tag_format)
    own = git.root / cfg.changelog.config
    config = own if own.is_file() else cliff.default_config()
    cliff.load_config(config)  # a malformed cliff.toml is one clear line, not a Rust backtrace
    if unreleased:
        last, _ = find_releases(git, fmt)
        rev_range = f"{last.tag}..HEAD" if last else None
        # a message git-cliff reads as empty (not UTF-8) is shown from git's reading
        unreadable = [c for c in cliff.read_commits(git.root, rev_range) if c.unreadable]
        return cliff.render(
            git.root,
            config,
            rev_range=rev_range,
            tag_pattern=fmt.regex,
            strip="all",
            unreadable=unreadable,
        )
    return full_history(git, config, fmt)


def full_history(git: Git, config: Path, fmt: TagFormat) -> str:
    """The whole changelog: git-cliff's parse of the whole history rendered as one run's
    releases (release.tools.cliff_context), else in tag ranges rendered concurrently when
    that gives the same text faster (release.tools.cliff_history), else one git-cliff run."""
    from release.tools import cliff_recover, cliff_whole

    cache_dir = state_dir(git.git_dir()) / "changelog-cache"
    whole = cliff_whole.whole_changelog(git.root, config, fmt.regex, cache_dir)
    if whole is not None:
        return whole
    # commits git-cliff would drop (a message that is not UTF-8): one run's context, them added
    unreadable = cliff_recover.walked_unreadable(git.root, cache_dir)
    if unreadable:
        from release.tools import cliff_recover_run

        return cliff_recover_run.whole_changelog(git.root, config, fmt.regex, unreadable)
    position: dict[str, int] | None = None

    def render(rev_range: str | None, strip: str | None) -> str:
        return cliff.render(
            git.root, config, rev_range=rev_range, tag_pattern=fmt.regex, strip=strip
        )

    tags = release_chain(git, fmt)
    safe_start = None
    salt = f"{cliff.version()}\0{config.read_bytes().hex()}\0{fmt.regex}"
    cache = cliff_history.RangeCache(
        state_dir(git.git_dir()) / "changelog-cache",
        hashlib.sha256(salt.encode()).hexdigest(),
        lambda names: git.rev_parse(*names),  # tag objects: a moved tag
    )
    if cliff_history.splittable(cliff.load_config(config)) and len(tags) >= cliff_history.MIN_TAGS:
        # only where one run's walk can be cut: maintenance lines, interleaved tags
        history = git.history()
        cuts = cliff_history.walk_cuts(history)
        names = git.tags(fmt.glob)
        matches = re.compile(fmt.regex).search  # the tags git-cliff's pattern takes
        commits = git.rev_parse(*(f"refs/tags/{t}^{{commit}}" for t in names))
        release_tags = [(n, c) for n, c in zip(names, commits, strict=True) if matches(n)]
        commit_of = dict(release_tags)
        tags = [t for t in tags if commit_of.get(t) in cuts]
        following = _following_tags(release_tags, history)
        position = _positions(history, {t: commit_of[t] for t in tags})

        def safe_start(tag: str) -> bool:
            # The release after `tag`: the next tag's, else the unreleased section, which
            # a range run shows empty where one run drops it (its commits all skipped).
            after = following.get(tag)
            end = commit_of[after] if after else git.head()
            if end == commit_of[tag]:
                return True  # HEAD is this release: no section after it at all
            rev_range = f"{tag}..{after or end}"

            def kept() -> bool:
                sizes = cliff.release_sizes(git.root, config, rev_range, fmt.regex)
                return sizes.get(after or "None", 0) > 0

            return cache.remembered(f"{commit_of[tag]}..{end}", kept)

    if cliff_history.splittable(cliff.load_config(config)) and tags:
        text = cliff_history.render_split(
            tags, render, git.is_ancestor, git.commit_of, cache, safe_start, position
        )
        if text is not None:
            return text
    return render(None, None)


def _positions(history: list[str], commit_of: dict[str, str]) -> dict[str, int]:
    """Each tag's commit's place in the history, oldest first by commit time: how many
    commits a range between two cuts holds (cliff_history.ranges)."""
    times = sorted((int(time), oid) for time, oid, *_ in (row.split() for row in history))
    place = {oid: index for index, (_, oid) in enumerate(times)}
    return {tag: place[commit] for tag, commit in commit_of.items()}


def _following_tags(release_tags: list[tuple[str, str]], history: list[str]) -> dict[str, str]:
    """Each release tag in HEAD's history, and the release tag git-cliff meets next (newer by
    commit time): the first release of a range that starts at the former."""
    times = {oid: int(time) for time, oid, *_ in (row.split() for row in history)}
    dated = sorted((times[c], t) for t, c in release_tags if c in times)
    return {older: newer for (_, older), (_, newer) in itertools.pairwise(dated)}


def release_chain(git: Git, fmt: TagFormat) -> list[str]:
    """The final release tags reachable from HEAD, oldest first (by version): where the
    history may be cut. Prerelease tags stay inside the ranges, where git-cliff sees them."""
    found = {t: fmt.parse(t) for t in git.tags_merged(fmt.glob)}
    finals = {t: v for t, v in found.items() if v is not None and not v.prerelease}
    return sorted(finals, key=lambda t: finals[t])

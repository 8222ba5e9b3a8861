"""From a repository to a ReleaseContext: the last release, the commits since, the next version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.core import config as config_module
from release.core.context import Problem, ReleaseContext
from release.core.errors import RepositoryError, VersionError
from release.core.layout import detect
from release.core.versioning import (
    Bump,
    BumpRules,
    Release,
    TagFormat,
    Version,
    apply_bump,
    check_greater,
    last_final_release,
    last_release,
    parse_explicit,
    rules_from,
    with_prerelease,
)
from release.tools import cliff
from release.tools.cliff import Commit
from release.tools.git import Git


def find_releases(
    git: Git, fmt: TagFormat, exclude: set[str] | None = None
) -> tuple[Release | None, Release | None]:
    """The highest release tag reachable from HEAD, and the highest final one.

    The highest tag is tried first (`merge-base --is-ancestor`, which does not grow with the
    history): on a release line it is the answer. Otherwise one walk (`for-each-ref
    --merged=HEAD`) answers for every candidate at once, however many prereleases on side
    branches stand above the main line (bench/RESULTS-next.md: 16 such tags cost 0.42 s one
    by one, the walk 0.06 s on 7,000 commits).
    """
    skip = exclude or set()
    candidates = sorted(
        ((version, tag) for tag in git.tags(fmt.glob) if (version := fmt.parse(tag)) is not None),
        reverse=True,
    )
    candidates = [(v, t) for v, t in candidates if t not in skip]
    if not candidates:
        return None, None
    version, tag = candidates[0]
    if not version.prerelease and git.is_ancestor(f"refs/tags/{tag}"):
        return Release(tag, version), Release(tag, version)
    reachable = set(git.tags_merged(fmt.glob)) - skip
    return last_release(reachable, fmt), last_final_release(reachable, fmt)


def shallow_releases(git: Git, fmt: TagFormat) -> tuple[Release | None, Release | None]:
    """In a shallow clone, the release tags fetched just below where its history stops
    (`git fetch --shallow-exclude=v1.2.0` and the tag): HEAD's history is all there."""
    tags = [t for t in git.tags(fmt.glob) if fmt.parse(t) is not None]
    if not tags:
        raise RepositoryError(
            "this is a shallow clone without release tags: the last release cannot be found",
            hint="fetch the whole history (git fetch --unshallow --tags; in GitHub Actions "
            "actions/checkout with fetch-depth: 0)",
        )
    commits = git.rev_parse(*(f"refs/tags/{t}^{{commit}}" for t in tags))
    parents = git.shallow_parents()
    connected = [t for t, c in zip(tags, commits, strict=True) if c in parents]
    if not connected:
        newest = last_release(tags, fmt)
        assert newest is not None
        raise RepositoryError(
            f"this shallow clone has the tag {newest.tag} but not the commits between it and "
            "HEAD: the commits since the last release cannot be read",
            hint=f"fetch them: git fetch --shallow-exclude={newest.tag} origin "
            "(or git fetch --unshallow)",
        )
    return last_release(connected, fmt), last_final_release(connected, fmt)


@dataclass(frozen=True)
class _Project:
    """The repository, its config and the rules that come from it."""

    git: Git
    cfg: config_module.Config
    fmt: TagFormat
    rules: BumpRules

    @classmethod
    def open(cls, start: Path, cfg: config_module.Config | None = None) -> _Project:
        git = Git.discover(start)
        cfg = cfg or config_module.load(git.root)
        return cls(git, cfg, TagFormat(cfg.version.tag_format), rules_from(cfg.version))

    def since(self, base: Release | None, tip: str = "HEAD") -> tuple[list[Commit], Bump]:
        """The commits after `base` up to `tip` (all of them without a base) and the bump
        they call for."""
        commits = cliff.read_commits(self.git.root, f"{base.tag}..{tip}" if base else None)
        level = max((self.rules.level(c.type, c.breaking) for c in commits), default=Bump.NONE)
        return commits, level

    def context(
        self,
        previous: Release | None,
        base: Release | None,
        history: tuple[list[Commit], Bump],
        version: Version | None,
        reason: str,
        explicit: bool,
    ) -> ReleaseContext:
        root = self.git.root
        ctx = ReleaseContext(
            root=root,
            config=self.cfg,
            layout=detect(root, self.cfg),
            git=self.git,
            tag_format=self.fmt,
            previous=previous,
            base=base,
            commits=history[0],
            version=version,
            bump=history[1],
            reason=reason,
            explicit=explicit,
        )
        ctx.warnings += _commit_warnings(ctx)
        return ctx


def plan(
    start: Path,
    version: str | None = None,
    pre: str | None = None,
    *,
    cfg: config_module.Config | None = None,
) -> ReleaseContext:
    """Everything `next`, `verify` and `cut` need to know before any step runs (`cfg`: the
    repository's config when the caller has read it already)."""
    project = _Project.open(start, cfg)
    git, fmt = project.git, project.fmt
    if not git.has_commits():
        raise RepositoryError("the repository has no commits yet", hint="commit something first")
    previous, base = find_releases(git, fmt)
    if previous is None and git.is_shallow():
        previous, base = shallow_releases(git, fmt)
    history = project.since(base)
    if version is not None:
        target = parse_explicit(version)
        if pre and not target.prerelease:
            target = with_prerelease(target, pre, previous, fmt)
        check_greater(target, previous)
        reason = f"{target} given on the command line"
        return project.context(previous, base, history, target, reason, explicit=True)
    chosen, reason = _computed(project.cfg, history[1], base, previous, pre, fmt, project.rules)
    if chosen is None and not history[0] and base is not None:
        at = " (HEAD is at it)" if git.head() == git.commit_of(base.tag) else ""
        reason = f"nothing committed since {base.tag}{at}"
    return project.context(previous, base, history, chosen, reason, explicit=False)


def _computed(
    cfg: config_module.Config,
    level: Bump,
    base: Release | None,
    previous: Release | None,
    pre: str | None,
    fmt: TagFormat,
    rules: BumpRules,
) -> tuple[Version | None, str]:
    if previous is None:
        initial = Version.parse(cfg.version.initial)
        target = with_prerelease(initial, pre, None, fmt) if pre else initial
        return target, f"no release tag yet: the initial version {initial}"
    if level is Bump.NONE:
        since = base.tag if base else "the first commit"
        return None, f"no commit since {since} calls for a release (only {_non_bumping(rules)})"
    start = base.version if base else Version(0, 0, 0)
    target = apply_bump(start, level, rules)
    if previous.version.prerelease and previous.version.finalize_version() > target:
        target = previous.version.finalize_version()  # keep going towards the announced version
    if pre:
        target = with_prerelease(target, pre, previous, fmt)
    if target <= previous.version:
        raise VersionError(
            f"the computed version {target} is not greater than the last release {previous.tag}",
            hint="give the version explicitly, e.g. `release cut 1.2.0`",
        )
    return target, f"{level.name.lower()} bump of {start}"


def _non_bumping(rules: BumpRules) -> str:
    bumping = sorted(t for t, b in rules.types.items() if b is not Bump.NONE)
    return "commits of other types than " + ", ".join(bumping) if bumping else "non-bumping commits"


def _commit_warnings(ctx: ReleaseContext) -> list[Problem]:
    problems = []
    odd = [c for c in ctx.commits if not c.conventional]
    merges = [c for c in odd if c.merge]
    others = [c for c in odd if not c.merge]
    if merges:
        problems.append(
            Problem(
                "commits",
                f"{len(merges)} merge commit(s) carry no conventional type and are not counted",
                hint="this is normal for merge commits; the merged commits are counted",
                severity="warning",
            )
        )
    if others:
        shown = "; ".join(f"{c.id[:8]} {c.summary!r}" for c in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        problems.append(
            Problem(
                "commits",
                f"{len(others)} commit(s) are not conventional and are not counted: {shown}{more}",
                hint="write messages as `type(scope): summary` (feat, fix, perf, docs, chore, ...)",
                severity="warning",
            )
        )
    return problems


def plan_tagged(start: Path) -> ReleaseContext:
    """The release whose tag HEAD carries: what `release build` and `release publish` work on
    (in CI the tag push starts them; locally they follow `release cut`)."""
    project = _Project.open(start)
    git, fmt = project.git, project.fmt
    here = [tag for tag in git.tags_at_head(fmt.glob) if fmt.parse(tag) is not None]
    current = last_release(here, fmt)
    if current is None:
        from release.core.release_mode import is_independent

        if is_independent(git, project.cfg):
            raise RepositoryError(
                "this repository versions its packages independently: `release build` and "
                "`release publish` work on a release tag of the whole repository",
                hint="`release cut` builds and publishes each package it releases",
            )
        raise RepositoryError(
            f"HEAD carries no release tag in the format {fmt.template!r}",
            hint="run `release cut` first, or check out the release tag",
        )
    previous, base = find_releases(git, fmt, exclude=set(here))
    history = project.since(base)
    reason = f"{current.tag} is at HEAD"
    return project.context(previous, base, history, current.version, reason, explicit=True)


def plan_behind_head(start: Path, tag: str) -> ReleaseContext:
    """The release `tag` names when HEAD has moved on past its commit (the branch that moved
    during the cut was merged into it): the steps look at the tagged commit, not at HEAD."""
    project = _Project.open(start)
    git, fmt = project.git, project.fmt
    version = fmt.parse(tag)
    assert version is not None
    commit = git.commit_of(tag)
    previous, base = find_releases(git, fmt, exclude={tag})
    history = project.since(base, commit)
    reason = f"{tag} is on HEAD's history"
    ctx = project.context(previous, base, history, version, reason, explicit=True)
    ctx.release_commit = commit
    return ctx


def released_at_head(start: Path) -> ReleaseContext | None:
    """The tagged release at HEAD, when HEAD carries one (release.yml's checkout)."""
    try:
        return plan_tagged(start)
    except RepositoryError:
        return None

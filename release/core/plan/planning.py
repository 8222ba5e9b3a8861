"""From a repository to a ReleaseContext: the last release, the commits since, the next version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.base.errors import RepositoryError, VersionError
from release.base.versioning import (
    Bump,
    BumpRules,
    Release,
    TagFormat,
    Version,
    apply_bump,
    check_greater,
    last_release,
    parse_explicit,
    resulting_bump,
    with_prerelease,
)
from release.core.engine.context import Problem, ReleaseContext
from release.core.plan.last_release import find_releases as find_releases  # re-exported
from release.core.plan.last_release import shallow_releases
from release.core.plan.lookups import Lookups
from release.core.plan.other_formats import refuse_unset_format
from release.core.settings import config as config_module
from release.core.settings.config_version import rules_from
from release.tools import cliff
from release.tools.cliff import Commit
from release.tools.git import Git


@dataclass(frozen=True)
class _Project:
    """The repository, its config and the rules that come from it."""

    git: Git
    cfg: config_module.Config
    fmt: TagFormat
    rules: BumpRules
    lookups: Lookups

    @classmethod
    def open(
        cls,
        start: Path,
        cfg: config_module.Config | None = None,
        git: Git | None = None,
        lookups: Lookups | None = None,
    ) -> _Project:
        git = git or Git.discover(start)
        cfg = cfg or config_module.load(git.root)
        fmt, rules = TagFormat(cfg.version.tag_format), rules_from(cfg.version)
        return cls(git, cfg, fmt, rules, lookups or Lookups())

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
            layout=self.lookups.layout(root, self.cfg),
            git=self.git,
            tag_format=self.fmt,
            previous=previous,
            base=base,
            commits=history[0],
            version=version,
            # the bump that results (a breaking change on 0.x: minor), as the reasons say
            bump=resulting_bump(base.version, history[1], self.rules)[0] if base else history[1],
            reason=reason,
            explicit=explicit,
            lookups=self.lookups,
        )
        ctx.warnings += _commit_warnings(ctx)
        return ctx


def plan(
    start: Path,
    version: str | None = None,
    pre: str | None = None,
    *,
    cfg: config_module.Config | None = None,
    git: Git | None = None,
    lookups: Lookups | None = None,
) -> ReleaseContext:
    """Everything `next`, `verify` and `cut` need to know before any step runs (`cfg`, `git`,
    `lookups`: what the caller has looked up already, so that each is done once)."""
    project = _Project.open(start, cfg, git, lookups)
    git, fmt = project.git, project.fmt
    if not git.has_commits():
        raise RepositoryError("the repository has no commits yet", hint="commit something first")
    previous, base = find_releases(git, fmt)
    if previous is None and git.is_shallow():
        previous, base = shallow_releases(git, fmt)
    if previous is None:
        refuse_unset_format(git, project.cfg, fmt)
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
    resulting, why = resulting_bump(start, level, rules)
    return target, f"{resulting.name.lower()} bump of {start}{why}"


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


def plan_tagged(
    start: Path,
    *,
    cfg: config_module.Config | None = None,
    git: Git | None = None,
    lookups: Lookups | None = None,
) -> ReleaseContext:
    """The release whose tag HEAD carries: what `release build` and `release publish` work on
    (in CI the tag push starts them; locally they follow `release cut`)."""
    project = _Project.open(start, cfg, git, lookups)
    git, fmt = project.git, project.fmt
    here = [tag for tag in git.tags_at_head(fmt.glob) if fmt.parse(tag) is not None]
    current = last_release(here, fmt)
    if current is None:
        from release.core.plan.release_mode import is_independent

        if is_independent(git, project.cfg, project.lookups):
            raise RepositoryError(
                "this repository versions its packages independently: `release build` and "
                "`release publish` work on a release tag of the whole repository",
                hint="`release cut` builds and publishes each package it releases; in CI, "
                "`release build --package NAME` builds one package of a merged release PR",
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


def released_at_head(
    start: Path,
    *,
    cfg: config_module.Config | None = None,
    git: Git | None = None,
    lookups: Lookups | None = None,
) -> ReleaseContext | None:
    """The tagged release at HEAD, when HEAD carries one (release.yml's checkout)."""
    try:
        return plan_tagged(start, cfg=cfg, git=git, lookups=lookups)
    except RepositoryError:
        return None

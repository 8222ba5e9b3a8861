"""Independent versions: which packages a release carries, and each one's next version.

One pass over the history since the oldest of the packages' last tags attributes every
commit to the packages whose folders it touches; a commit counts for a package only when
that package's last tag does not already contain it. Then, in dependency order, a package
whose sibling is released out of the range it requires is released too (with at least
`[version] dependents`), and lockstep groups share one version.
"""

from __future__ import annotations

import fnmatch
import graphlib
import re

from release.base.errors import BadInput, ConfigError
from release.base.versioning import (
    Bump,
    BumpRules,
    TagFormat,
    Version,
    apply_bump,
    check_greater,
    resulting_bump,
    with_prerelease,
)
from release.core.plan import followers
from release.core.plan.package_plan import Change as Change  # re-exported
from release.core.plan.package_plan import PackagePlan as PackagePlan  # re-exported
from release.core.plan.package_tags import find_previous, tag_style
from release.core.project.packages import Package
from release.core.project.requirements import accepts
from release.core.settings.config_version import VersionConfig
from release.tools.git import Git
from release.tools.git_history import (
    LoggedCommit,
    log,
    merge_base,
    object_ids,
    tag_commits,
)

# git-cliff's conventional header, and the footer that marks a breaking change.
_HEADER = re.compile(r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?: \S")
_BREAKING = re.compile(r"^BREAKING[ -]CHANGE: ", re.MULTILINE)


def plan_packages(
    git: Git,
    packages: list[Package],
    cfg: VersionConfig,
    rules: BumpRules,
    pre: str | None,
    *,
    only: dict[str, Version | None] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> list[PackagePlan]:
    """`only`: the packages a cut was asked for (`--package NAME [VERSION]`, a version or
    None to compute it); the others are released only when these pull them in. `exclude`:
    tags not to count as released (those at HEAD when a cut is resumed)."""
    # Every tag, reachable or not: walking the history for all of them costs more than the
    # rest of the plan; only the few that can be a package's last release are checked.
    tags = tag_commits(git, merged=False)
    if exclude:
        tags = {t: c for t, c in tags.items() if t not in exclude}
    style = tag_style(tags, [p.name for p in packages])
    plans = {
        p.name: PackagePlan(p, TagFormat(cfg.package_format(p.name, style)), None) for p in packages
    }
    bases = find_previous(git, tags, plans)
    _attribute(git, plans, _changed(git, plans, bases), cfg.shared_paths)
    for plan in plans.values():
        _own_version(plan, rules, pre)
    followers.hold(plans, cfg)
    if only is not None:
        _select(plans, only, rules)
    order = _dependency_order(plans)
    # A group can pull in a package that others require, and the reverse: repeat both rules
    # until nothing moves (each round releases at least one more package, or it is the last).
    while True:
        released = sum(1 for p in plans.values() if p.version)
        _follow_dependencies(plans, order, rules, Bump.named(cfg.dependents), pre)
        _groups(plans, cfg, rules, pre)
        if sum(1 for p in plans.values() if p.version) == released:
            followers.release(plans, cfg, rules)
            return list(plans.values())


def _changed(git: Git, plans: dict[str, PackagePlan], bases: dict[str, str]) -> dict[str, str]:
    """The bases of the packages whose folder differs between their last tag and HEAD (one
    `cat-file` for all); a package never released, or at the repository's root, counts as
    changed. An unchanged folder has no commit to read: leaving its old tag out keeps the one
    history pass short when a package was last released long ago."""
    folders = {n: plans[n].package.root for n in bases if plans[n].package.root}
    ids = object_ids(git, [f"{rev}:{folders[n]}" for n in folders for rev in ("HEAD", bases[n])])
    unchanged = {n for n in folders if ids[f"HEAD:{folders[n]}"] == ids[f"{bases[n]}:{folders[n]}"]}
    return {n: commit for n, commit in bases.items() if n not in unchanged}


def _attribute(
    git: Git, plans: dict[str, PackagePlan], bases: dict[str, str], shared: list[str]
) -> None:
    """`bases`: package -> its last tag's commit, for the released packages that changed."""
    unreleased = [n for n, p in plans.items() if p.previous is None]
    if not bases and not unreleased:
        return  # nothing changed anywhere since every package's last release
    if bases and not unreleased:
        oldest = merge_base(git, sorted(set(bases.values())))
        commits = list(log(git, "HEAD", f"^{oldest}") if oldest else log(git, "HEAD"))
    else:
        commits = list(log(git, "HEAD"))  # a package never released: its whole history counts
    released = _contained(commits, bases)
    counted = set(bases) | set(unreleased)  # the others' folders are as their tags left them
    owners = {p.package.root: name for name, p in plans.items()}
    is_shared = re.compile("|".join(fnmatch.translate(p) for p in shared) or "(?!)").match
    for commit in commits:
        touched = {
            owner
            for path in commit.paths
            if not is_shared(path) and (owner := _owner(path, owners)) is not None
        }
        touched &= counted
        if not touched:
            continue
        change = _parse(commit)
        for name in touched - released.get(commit.id, set()):
            plans[name].changes.append(change)


def _owner(path: str, owners: dict[str, str]) -> str | None:
    """The package whose folder is the deepest one holding `path` (folder -> package name)."""
    folder = path
    while folder:
        folder = folder.rpartition("/")[0]
        if folder in owners:
            return owners[folder]
    return None


def _contained(commits: list[LoggedCommit], bases: dict[str, str]) -> dict[str, set[str]]:
    """commit -> the packages whose last tag contains it. A bit per package is pushed from
    each tagged commit to its parents, children first (`--topo-order`): one pass, whatever
    the number of packages."""
    bits: dict[str, int] = {}
    names = sorted(bases)
    for index, name in enumerate(names):
        bits[bases[name]] = bits.get(bases[name], 0) | (1 << index)
    for commit in commits:
        mask = bits.get(commit.id, 0)
        if mask:
            for parent in commit.parents:
                bits[parent] = bits.get(parent, 0) | mask
    return {
        commit.id: {name for i, name in enumerate(names) if bits.get(commit.id, 0) >> i & 1}
        for commit in commits
        if bits.get(commit.id)
    }


def _parse(commit: LoggedCommit) -> Change:
    summary = commit.message.splitlines()[0] if commit.message else ""
    header = _HEADER.match(summary)
    if header is None:
        return Change(commit.id, summary, None, False)
    breaking = bool(header.group("bang")) or bool(_BREAKING.search(commit.message))
    return Change(commit.id, summary, header.group("type").lower(), breaking)


def _own_version(plan: PackagePlan, rules: BumpRules, pre: str | None) -> None:
    plan.bump = max((rules.level(c.type, c.breaking) for c in plan.changes), default=Bump.NONE)
    if plan.bump is Bump.NONE:
        if plan.changes:  # say why its commits release nothing (release-plz would release)
            odd = sum(1 for c in plan.changes if c.type is None)
            why = f"{odd} not conventional" if odd else "no type that bumps"
            plan.reasons.append(f"{len(plan.changes)} commit(s), none calls for a release ({why})")
        return
    kinds = sorted({c.type or "other" for c in plan.changes if rules.level(c.type, c.breaking)})
    base = plan.previous.version if plan.previous else plan.package.version
    plan.bump, why = resulting_bump(base, plan.bump, rules)  # what `next --json` says too
    plan.reasons.append(
        f"{plan.bump.name.lower()}{why}: {len(plan.changes)} commit(s) ({', '.join(kinds)})"
    )
    _set_version(plan, plan.bump, rules, pre)


def _select(
    plans: dict[str, PackagePlan], only: dict[str, Version | None], rules: BumpRules
) -> None:
    """Keep the asked packages' own versions (or the given ones); drop everyone else's."""
    unknown = sorted(set(only) - set(plans))
    if unknown:
        raise BadInput(
            f"there is no package {unknown[0]!r} in this repository",
            hint="packages: " + ", ".join(sorted(plans)),
        )
    for name, plan in plans.items():
        if name not in only:
            plan.version, plan.bump = None, Bump.NONE
            continue
        given = only[name]
        if given is None:
            if plan.version is None:
                since = plan.previous.tag if plan.previous else "its first commit"
                raise BadInput(
                    f"nothing in {name} calls for a release since {since}",
                    hint=f"give its version to release it anyway: --package {name} VERSION",
                )
            continue
        check_greater(given, plan.latest)
        plan.version, plan.explicit = given, True
        plan.bump = max(plan.bump, _level_between(plan, given))
        plan.reasons.append(f"{given} given on the command line")


def _level_between(plan: PackagePlan, given: Version) -> Bump:
    start = plan.previous.version if plan.previous else None
    if start is None or given.major != start.major:
        return Bump.MAJOR
    return Bump.MINOR if given.minor != start.minor else Bump.PATCH


def _set_version(plan: PackagePlan, level: Bump, rules: BumpRules, pre: str | None) -> None:
    start = plan.previous.version if plan.previous else plan.package.version
    target = apply_bump(start, level, rules) if plan.previous else plan.package.version
    if pre:
        target = with_prerelease(target, pre, plan.latest, plan.fmt)
    plan.version = target


def _dependency_order(plans: dict[str, PackagePlan]) -> list[str]:
    graph = {name: set(p.package.requires) for name, p in plans.items()}
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise ConfigError(
            f"the packages require each other in a cycle: {cycle}",
            hint="a release order needs an acyclic graph; make one of them a dev-dependency",
        ) from None


def _follow_dependencies(
    plans: dict[str, PackagePlan],
    order: list[str],
    rules: BumpRules,
    dependents: Bump,
    pre: str | None,
) -> None:
    for name in order:
        plan = plans[name]
        moved = [
            dep
            for dep, requirement in plan.package.requires.items()
            if (v := plans[dep].version) is not None
            and not accepts(plan.package.kind, requirement, v)
        ]
        if not moved or dependents is Bump.NONE or plan.bump >= dependents:
            continue
        plan.reasons.append(f"requires {', '.join(f'{d} {plans[d].version}' for d in moved)}")
        plan.bump = dependents
        _set_version(plan, dependents, rules, pre)


def _groups(
    plans: dict[str, PackagePlan], cfg: VersionConfig, rules: BumpRules, pre: str | None
) -> None:
    for group in cfg.groups:
        unknown = [n for n in group.packages if n not in plans]
        if unknown:
            raise ConfigError(
                f"[version] groups names {unknown[0]!r}, which is not a package here",
                hint="packages: " + ", ".join(sorted(plans)),
            )
        members = [plans[n] for n in group.packages]
        level = max(m.bump for m in members)
        if level is Bump.NONE:
            continue
        given = [m.version for m in members if m.explicit and m.version is not None]
        start = max((m.previous.version if m.previous else m.package.version) for m in members)
        target = max(given) if given else apply_bump(start, level, rules)
        if all(m.version == target or (pre and m.version) for m in members):
            continue  # already released together
        for member in members:
            member.bump = level
            member.version = (
                with_prerelease(target, pre, member.latest, member.fmt)
                if pre and not given
                else target
            )
            member.reasons.append("released with its group: " + ", ".join(group.packages))

"""A group's followers (`[[version.groups]] followers`): packages released whenever their
group is, each at its own version (its manifest's, bumped by `[version] dependents`), under
the group's tag, for they have none of their own (uv's crates at 0.0.N beside uv 0.9.N, an
npm package of its own version line released with its CLI)."""

from __future__ import annotations

from release.base.versioning import Bump, BumpRules, Release, apply_bump
from release.core.plan.package_plan import PackagePlan
from release.core.settings.config_version import VersionConfig, VersionGroup


def _followed(cfg: VersionConfig) -> list[VersionGroup]:
    return [g for g in cfg.groups if g.followers and g.tag_format]


def hold(plans: dict[str, PackagePlan], cfg: VersionConfig) -> None:
    """Before the groups are planned: a follower starts from the version its manifest states
    (its group's tag names the group's version, not its own) and is not released on its own;
    its changes release its group."""
    for group in _followed(cfg):
        members = [plans[n] for n in group.packages if n in plans]
        for name in group.followers:
            plan = plans.get(name)
            if plan is None:
                continue
            if plan.previous is not None:
                plan.previous = Release(plan.previous.tag, plan.package.version)
                plan.latest = plan.previous
            if plan.bump > Bump.NONE and members and members[0].bump < plan.bump:
                members[0].bump = plan.bump
                members[0].reasons.append(f"its group's follower {name} changed")
            plan.version = None


def release(plans: dict[str, PackagePlan], cfg: VersionConfig, rules: BumpRules) -> None:
    """After the groups are planned: the followers of each released group, at their own
    versions, under its tag."""
    level = Bump.named(cfg.dependents) if cfg.dependents != "none" else Bump.PATCH
    for group in _followed(cfg):
        released = [plans[n] for n in group.packages if n in plans and plans[n].version]
        if not released:
            continue
        tag = released[0].tag
        for name in group.followers:
            plan = plans.get(name)
            if plan is None or plan.version is not None:
                continue
            plan.bump = max(plan.bump, level)
            plan.version = apply_bump(plan.package.version, level, rules)
            plan.group_tag = tag
            plan.reasons.append(f"released with its group under {tag}")

"""A release of independent packages (a train of tags on one commit), replayed in the scratch
tree: each package's computed version against the project's, then the train's prepare leg
(every package's changelog and bump, the root changelog) at the project's versions."""

from __future__ import annotations

from pathlib import Path

import tomlkit

from release.base.versioning import Version
from release.commands import replay_scratch as scratch
from release.commands.replay_scratch import Found
from release.core.plan.independent import PackagePlan
from release.core.plan.replay_diff import Difference, History, Replayed, version_difference
from release.tools.git import Git


def replay_train(
    tree: Path, found: Found, replayed: Replayed, ignore: set[str], names: set[str]
) -> scratch.Prepared:
    from release.commands.train import plan_train

    followers = _drop_new_members(tree)
    computed = plan_train(tree, None)
    plans = {p.package.name: p for p in computed.plans} if computed else {}
    shared = [tag for tag, _ in found.tags.values()]
    for name, (tag, version) in found.tags.items():
        if name not in plans and shared.count(tag) > 1:
            continue  # a group's member that did not exist yet
        if name in followers and name in plans:  # its own version, which its tag does not say
            version = _stated(tree, found.commit, plans[name]) or version
            replayed.theirs_versions[name] = str(version)
        plan = plans.get(name)
        ours = plan.version if plan else None
        replayed.ours_versions[name] = scratch.version_text(ours)
        history = _history(plan) if plan else History(None, 0, 0, 0, 0)
        difference = version_difference(name, ours, version, history)
        replayed.differences += [difference] if difference else []
    replayed.dependents = {
        str(p.package.manifest.relative_to(tree))
        for p in plans.values()
        if p.package.name not in found.tags
    }
    for name, plan in plans.items():
        if plan.version is not None and name not in found.tags:
            replayed.ours_versions[name] = str(plan.version)
            why = f"{name}: changes under its folder call for a release the project did not make"
            replayed.differences.append(
                Difference("version", "policy", str(plan.version), "not released", why)
            )
    wanted = {
        name: version
        for name, (_, version) in found.tags.items()
        if name in plans and name not in followers  # they follow their group
    }
    if not wanted:
        return scratch.Prepared()
    train = plan_train(tree, None, dict(wanted))
    assert train is not None  # independent: plans were found above
    replayed.ours_tags = {n: t for n, (_, t) in train.released().items() if n in wanted}
    lead = train.lead
    replayed.failed = scratch.run_prepare(
        lead, train.legs()[0].steps[:-1]
    )  # all but the commit and tags
    return scratch.changed(tree, ignore, names)


def _stated(tree: Path, commit: str, plan: PackagePlan) -> Version | None:
    """The version a package's manifest states in the project's release commit."""
    import re

    path = plan.package.manifest.relative_to(tree)
    text = Git(tree).out("show", f"{commit}:{path}")
    stated = re.search(r"""^\s*"?version"?\s*[:=]\s*["']([^"']+)["']""", text, re.MULTILINE)
    try:
        return Version.parse(stated.group(1)) if stated else None
    except ValueError:
        return None


def _drop_new_members(tree: Path) -> set[str]:
    """The config in the scratch tree without the group members that are no packages yet
    (added to the repository after this release), as the manifests not there are left out;
    the groups' followers."""
    from release.core.project.layout import detect
    from release.core.project.packages import discover
    from release.core.settings import config as config_module

    cfg = config_module.load(tree)
    followers = {f for g in cfg.version.groups for f in g.followers}
    if cfg.source is None or cfg.source.name == "pyproject.toml" or not cfg.version.groups:
        return followers
    names = {p.name for p in discover(tree, cfg, detect(tree, cfg))}
    if all(n in names for g in cfg.version.groups for n in [*g.packages, *g.followers]):
        return followers
    document = tomlkit.parse(cfg.source.read_text(encoding="utf-8"))
    groups = document["version"]["groups"]
    for index in reversed(range(len(groups))):
        for key in ("packages", "followers"):
            if key in groups[index]:
                groups[index][key] = [n for n in groups[index][key] if str(n) in names]
        if len(groups[index]["packages"]) < 2:
            del groups[index]
    cfg.source.write_text(tomlkit.dumps(document), encoding="utf-8")
    return followers


def _history(plan: PackagePlan) -> History:
    return History(
        previous=plan.previous.version if plan.previous else None,
        conventional=sum(1 for c in plan.changes if c.type),
        other=sum(1 for c in plan.changes if not c.type),
        bumping=0,
        features=sum(1 for c in plan.changes if c.type == "feat"),
    )

"""A release of independent packages (a train of tags on one commit), replayed in the scratch
tree: each package's computed version against the project's, then the train's prepare leg
(every package's changelog and bump, the root changelog) at the project's versions."""

from __future__ import annotations

from pathlib import Path

import tomlkit

from release.commands import replay_scratch as scratch
from release.commands.replay_scratch import Found
from release.core.plan.independent import PackagePlan
from release.core.plan.replay_diff import Difference, History, Replayed, version_difference


def replay_train(
    tree: Path, found: Found, replayed: Replayed, ignore: set[str], names: set[str]
) -> scratch.Prepared:
    from release.commands.train import plan_train

    _drop_new_members(tree)
    computed = plan_train(tree, None)
    plans = {p.package.name: p for p in computed.plans} if computed else {}
    shared = [tag for tag, _ in found.tags.values()]
    for name, (tag, version) in found.tags.items():
        if name not in plans and shared.count(tag) > 1:
            continue  # a group's member that did not exist yet
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
    wanted = {name: version for name, (_, version) in found.tags.items() if name in plans}
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


def _drop_new_members(tree: Path) -> None:
    """The config in the scratch tree without the group members that are no packages yet
    (added to the repository after this release), as the manifests not there are left out."""
    from release.core.project.layout import detect
    from release.core.project.packages import discover
    from release.core.settings import config as config_module

    cfg = config_module.load(tree)
    if cfg.source is None or cfg.source.name == "pyproject.toml" or not cfg.version.groups:
        return
    names = {p.name for p in discover(tree, cfg, detect(tree, cfg))}
    if all(n in names for g in cfg.version.groups for n in g.packages):
        return
    document = tomlkit.parse(cfg.source.read_text(encoding="utf-8"))
    groups = document["version"]["groups"]
    for index in reversed(range(len(groups))):
        groups[index]["packages"] = [n for n in groups[index]["packages"] if str(n) in names]
        if len(groups[index]["packages"]) < 2:
            del groups[index]
    cfg.source.write_text(tomlkit.dumps(document), encoding="utf-8")


def _history(plan: PackagePlan) -> History:
    return History(
        previous=plan.previous.version if plan.previous else None,
        conventional=sum(1 for c in plan.changes if c.type),
        other=sum(1 for c in plan.changes if not c.type),
        bumping=0,
        features=sum(1 for c in plan.changes if c.type == "feat"),
    )

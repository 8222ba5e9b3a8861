"""Independent mode's cut: the packages released together ("a train"), each with its own
context, and the legs a cut runs over them.

Prepare every package (its changelog, its bump), commit once and tag each; then, package by
package in dependency order, build and publish (crates reach the registry before their
dependents are published); then push the branch and every tag at once; then each package's
announcements. Every check of every leg runs before the first step (`preflight`).
"""

from __future__ import annotations

import dataclasses
import graphlib
from dataclasses import dataclass
from pathlib import Path

from release.base.errors import BadInput, ConfigError
from release.base.versioning import Bump, Version, parse_explicit
from release.commands.result import PackageInfo, VersionInfo
from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.engine.pipeline import Leg, Run
from release.core.plan.independent import PackagePlan
from release.core.plan.lookups import Looked
from release.core.plan.package_context import released_contexts
from release.core.plan.release_mode import independent_plan
from release.steps import catalog
from release.steps.changelog.root import RootChangelogStep
from release.steps.changelog.step import ChangelogStep
from release.steps.github.combined import CombinedGithubPublishStep, CombinedGithubReleaseStep
from release.steps.version.bump_package import PackageBumpStep
from release.steps.version.train import EachPackage, TrainCommitTagStep, TrainPushStep


@dataclass
class Train:
    plans: list[PackagePlan]  # every package, released or not (verify's table)
    ctxs: list[ReleaseContext]  # the released ones, dependencies first

    @property
    def tags(self) -> list[str]:
        return list(dict.fromkeys(c.tag for c in self.ctxs))  # a group's one tag, once

    @property
    def lead(self) -> ReleaseContext:
        """The context of the repository's own steps (commit, tags, push): the first
        package's, unscoped; it shares the packages' `Changes`."""
        return dataclasses.replace(self.ctxs[0], package=None)

    def info(self) -> VersionInfo:
        """The train as one release, for the results' envelope and Actions' outputs."""
        return VersionInfo(
            previous=None,
            previous_tag=None,
            version=", ".join(f"{c.package.name} {c.version}" for c in self.ctxs if c.package)
            or None,
            tag=", ".join(self.tags) or None,
            bump=max((c.bump for c in self.ctxs), default=Bump.NONE).name.lower(),
            reason=f"{len(self.ctxs)} of {len(self.plans)} packages released",
            commits=sum(len(c.commits) for c in self.ctxs),
            groups={},
        )

    def released(self) -> dict[str, tuple[str, str]]:
        """name -> (version, tag) of every package this cut releases."""
        return {_name(c): (str(c.version), c.tag) for c in self.ctxs}

    def packages(self) -> list[PackageInfo]:
        return [PackageInfo.of(p) for p in self.plans]

    def legs(self) -> list[Leg]:
        lead = self.lead
        prepare = [
            EachPackage(ChangelogStep(), self.ctxs),
            # [changelog] root = true: the repository's changelog joins the sections above.
            RootChangelogStep(self.ctxs),
            EachPackage(PackageBumpStep(), self.ctxs),
            TrainCommitTagStep(self.ctxs),
        ]
        legs = [Leg(lead, prepare)]
        combined = lead.config.github.combined
        per_package = {"github", "github-publish"} if combined else set()
        publish = [*catalog.build_steps(), *catalog.publish_steps()]
        publish = [s for s in publish if s.name not in per_package]
        legs += [Leg(c, publish, _name(c)) for c in self.ctxs]
        first = self.ctxs[0]  # the combined release is on its tag; it reads every package's
        if combined:
            legs.append(Leg(first, [CombinedGithubReleaseStep(self.ctxs)]))
        legs.append(Leg(lead, [TrainPushStep(self.ctxs)]))
        if combined:
            legs.append(Leg(first, [CombinedGithubPublishStep(self.ctxs)]))
        announce = [s for s in catalog.announce_steps() if s.name not in per_package]
        legs += [Leg(c, announce, _name(c)) for c in self.ctxs]
        return legs

    def run(self) -> Run:
        tags = self.tags
        name = tags[0] if len(tags) == 1 else f"{tags[0]}+{len(tags) - 1}"
        journal = Journal.for_tag(self.ctxs[0].git.git_dir(), name)
        start = {
            "version": ", ".join(str(c.version) for c in self.ctxs),
            "tag": ", ".join(tags),
            "packages": {_name(c): c.tag for c in self.ctxs},
            "versions": {_name(c): str(c.version) for c in self.ctxs},  # what resume plans
        }
        return Run(journal, "cut", start, ", ".join(tags))


def _name(ctx: ReleaseContext) -> str:
    assert ctx.package is not None
    return ctx.package.name


def train_for(
    start: Path,
    version: str | None,
    pre: str | None,
    packages: list[str],
    *,
    looked: Looked | None = None,
) -> Train | None:
    """The train `cut`/`verify` with these arguments release; None in lockstep. `--package
    NAME` (repeatable) and the VERSION argument say which packages, as the planner takes
    them."""
    if version is not None and len(packages) > 1:
        raise BadInput(
            "one VERSION cannot go to several packages",
            hint="cut them one by one, or let each one's version be computed",
        )
    given = parse_explicit(version) if version is not None and packages else None
    only: dict[str, Version | None] | None = dict.fromkeys(packages, given) if packages else None
    train = plan_train(start, pre, only, looked=looked)
    if train is not None and version is not None and not packages:
        raise BadInput(
            f"this repository versions its packages independently: whose version is {version}?",
            hint=f"name the package: release cut --package NAME {version}",
        )
    return train


def plan_train(
    start: Path,
    pre: str | None,
    only: dict[str, Version | None] | None = None,
    *,
    exclude: frozenset[str] = frozenset(),
    looked: Looked | None = None,
) -> Train | None:
    """The train a cut here would release; None when the repository is versioned in
    lockstep. `looked`: the repository, config and lookups the command has already."""
    git, cfg, lookups = looked or Looked.open(start)
    plans = independent_plan(git, cfg, pre, only=only, exclude=exclude, lookups=lookups)
    if plans is None:
        if only is not None:
            raise BadInput(
                "--package is for repositories whose packages have their own versions",
                hint='this one is versioned in lockstep; set [version] mode = "independent" '
                "to release its packages one by one",
            )
        return None
    if cfg.git.mode == "tag-trigger":
        raise ConfigError(
            '[git] mode = "tag-trigger" is not supported with independent versions yet',
            hint='cut locally ([git] mode = "local"), or version the packages in lockstep',
            where=str(cfg.source) if cfg.source else None,
        )
    found = released_contexts(git, cfg, plans, lookups)
    plan_of = {p.package.name: p for p in plans if p.version is not None}
    return Train(plans, [found[name] for name in _order(plan_of)])


def _order(released: dict[str, PackagePlan]) -> list[str]:
    graph = {
        name: {dep for dep in plan.package.requires if dep in released}
        for name, plan in released.items()
    }
    return list(graphlib.TopologicalSorter(graph).static_order())  # the planner refused cycles

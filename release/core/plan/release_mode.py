"""Lockstep or independent versions: what `[version] mode` says, or, unset, what the manifests
show (independent when the packages' own versions disagree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from release.base.errors import ConfigError
from release.base.versioning import Version
from release.core.plan.lookups import Lookups
from release.core.plan.npm_independence import npm_independent
from release.core.project.packages import stated_versions
from release.core.settings import config as config_module
from release.core.settings.config_version import rules_from
from release.tools.git import Git

if TYPE_CHECKING:
    from release.core.plan.independent import PackagePlan


def is_independent(git: Git, cfg: config_module.Config, lookups: Lookups | None = None) -> bool:
    """Does this repository version its packages on their own?"""
    if cfg.version.mode is not None:
        return cfg.version.mode == "independent"
    layout = (lookups or Lookups()).layout(git.root, cfg)
    return len(stated_versions(git.root, layout)) > 1 or npm_independent(git)


def independent_plan(
    git: Git,
    cfg: config_module.Config,
    pre: str | None,
    *,
    only: dict[str, Version | None] | None = None,
    exclude: frozenset[str] = frozenset(),
    lookups: Lookups | None = None,
) -> list[PackagePlan] | None:
    """Each package's plan in independent mode; None when the repository is versioned in
    lockstep (one version, `v{version}` tags)."""
    if cfg.version.mode == "lockstep":
        return None
    lookups = lookups or Lookups()
    if cfg.version.mode is None and not is_independent(git, cfg, lookups):
        return None  # lockstep, decided without loading the independent planner
    from release.core.plan.independent import plan_packages

    packages = lookups.packages(git.root, cfg)
    if not packages:
        raise ConfigError(
            "[version] mode is independent, but no package with a version was found",
            hint="independent mode versions Cargo crates, pyproject.toml and package.json "
            'packages; set mode = "lockstep" for one version',
        )
    return plan_packages(
        git, packages, cfg.version, rules_from(cfg.version), pre, only=only, exclude=exclude
    )

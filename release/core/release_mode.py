"""Lockstep or independent versions: what `[version] mode` says, or, unset, what the manifests
show (independent when the packages' own versions disagree)."""

from __future__ import annotations

from release.core import config as config_module
from release.core.errors import ConfigError
from release.core.independent import PackagePlan, plan_packages
from release.core.layout import detect
from release.core.packages import discover
from release.core.versioning import Bump, BumpRules
from release.tools.git import Git


def independent_plan(
    git: Git, cfg: config_module.Config, pre: str | None
) -> list[PackagePlan] | None:
    """Each package's plan in independent mode; None when the repository is versioned in
    lockstep (one version, `v{version}` tags)."""
    if cfg.version.mode == "lockstep":
        return None
    packages = discover(git.root, cfg, detect(git.root, cfg))
    # package.json files are left out of the guess: lockstep bumps only those that state the
    # project's version, and a docs site's own version must not change the mode.
    stated = {str(p.version) for p in packages if p.kind != "npm"}
    if cfg.version.mode is None and len(stated) <= 1:
        return None
    if not packages:
        raise ConfigError(
            "[version] mode is independent, but no package with a version was found",
            hint="independent mode versions Cargo crates, pyproject.toml and package.json "
            'packages; set mode = "lockstep" for one version',
        )
    v = cfg.version
    rules = BumpRules(
        types={t: Bump.named(level) for t, level in v.bump.items()},
        breaking=Bump.named(v.breaking),
        breaking_while_zero=Bump.named(v.breaking_while_zero),
    )
    return plan_packages(git, packages, v, rules, pre)

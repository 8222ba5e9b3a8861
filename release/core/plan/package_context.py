"""Independent mode: one ReleaseContext per released package, scoped to it (its tag format,
its last tags, its commits, its manifest); the steps read `ctx.package` to stay inside it."""

from __future__ import annotations

import dataclasses
import re

from release.core.engine.context import Changes, ReleaseContext
from release.core.plan.independent import Change, PackagePlan
from release.core.plan.lookups import Lookups
from release.core.project.layout import Layout
from release.core.settings import config as config_module
from release.tools.cliff import Commit
from release.tools.git import Git

_HEADER = re.compile(r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^)]*)\))?!?: (?P<description>.*)$")


def package_context(
    git: Git, cfg: config_module.Config, plan: PackagePlan, lookups: Lookups | None = None
) -> ReleaseContext:
    """The context that releases `plan`'s package alone (its version may be None: not
    released; the steps are then only asked, as `release verify` does)."""
    lookups = lookups or Lookups()
    layout = lookups.layout(git.root, cfg)
    package = plan.package
    return ReleaseContext(
        root=git.root,
        config=cfg,
        layout=scoped_layout(layout, plan),
        git=git,
        tag_format=plan.fmt,
        group_tag=plan.group_tag,
        previous=plan.latest,
        base=plan.previous,
        commits=[_commit(c) for c in plan.changes],
        version=plan.version,
        bump=plan.bump,
        reason="; ".join(plan.reasons),
        explicit=False,
        package=package,
        lookups=lookups,
    )


def released_contexts(
    git: Git, cfg: config_module.Config, plans: list[PackagePlan], lookups: Lookups | None = None
) -> dict[str, ReleaseContext]:
    """The contexts of the released packages of one cut, by name: they know which packages
    go with them, and share one `Changes` (a failure restores every package at once)."""
    lookups = lookups or Lookups()
    released = {p.package.name: p for p in plans if p.version is not None}
    changes = Changes()
    found = {}
    for name, plan in released.items():
        ctx = package_context(git, cfg, plan, lookups)
        ctx.changes = changes
        ctx.released_with = frozenset(released)
        found[name] = ctx
    return found


def scoped_layout(layout: Layout, plan: PackagePlan) -> Layout:
    """The repository's layout with only this package's manifests: a crate keeps the
    workspace (cargo publishes from it), a Python package its own pyproject.toml and the
    `__version__` files beside it, an npm package nothing the lockstep bump would touch."""
    package = plan.package
    folder = package.manifest.parent
    python = [package.manifest] if package.kind == "python" else list(package.companions)
    folders = [folder] if package.kind == "python" else [p.parent for p in package.companions]
    return dataclasses.replace(
        layout,
        cargo=layout.cargo if package.kind == "crate" else None,
        python=python,
        # layout.py finds them at FOLDER/pkg/__init__.py or FOLDER/src/pkg/__init__.py
        version_files=[
            p for p in layout.version_files if any(p.parents[1] in (f, f / "src") for f in folders)
        ],
    )


def _commit(change: Change) -> Commit:
    header = _HEADER.match(change.summary)
    return Commit(
        id=change.id,
        type=change.type,
        scope=(header.group("scope") or None) if header else None,
        description=header.group("description") if header else change.summary,
        breaking=change.breaking,
        merge=False,
        summary=change.summary,
        # git read it with replacement characters: git-cliff, which renders the package's
        # changelog, reads such a message as empty (tools/cliff_unreadable.py)
        unreadable=change.summary if "\ufffd" in change.summary else None,
    )

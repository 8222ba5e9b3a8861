"""The changelogs of a group released under one tag (`[[version.groups]] tag_format`): each
member writes its section where it has a changelog of its own and changes of its own (or
where its changelog has a section for each of the group's last releases); a member without
one writes none (a platform package of an npm CLI). When the group has one
changelog between its members (pyo3's root CHANGELOG.md), it is written once, and its section
tells the commits of every member's folder. `filters_of`: the path globs any package's section
is rendered with."""

from __future__ import annotations

from pathlib import Path

from release.core.engine.context import ReleaseContext
from release.core.project import changelog_file
from release.core.settings.config_version import VersionGroup
from release.steps.changelog.scope import package_changelog, path_filters


def _group(ctx: ReleaseContext) -> VersionGroup | None:
    if ctx.package is None:
        return None
    name = ctx.package.name
    groups = ctx.config.version.groups
    return next((g for g in groups if g.tag_format and name in _released(g)), None)


def _released(group: VersionGroup) -> list[str]:
    return [*group.packages, *group.followers]


def _writers(ctx: ReleaseContext, group: VersionGroup) -> dict[str, Path]:
    """member -> its changelog, for the members that write one: those whose changelog exists
    (the first of the members that share a file), else the group's first member alone."""
    packages = {p.name: p for p in ctx.lookups.packages(ctx.root, ctx.config)}
    members = [packages[n] for n in _released(group) if n in packages]
    writers: dict[str, Path] = {}
    for member in members:
        path = package_changelog(ctx.root, ctx.config, member)
        if path.is_file() and path not in writers.values():
            writers[member.name] = path
    if not writers and members:
        writers[members[0].name] = package_changelog(ctx.root, ctx.config, members[0])
    return writers


def skipped(ctx: ReleaseContext) -> str | None:
    """Why `ctx`'s package writes no changelog section in its group's release: another member
    writes the group's, or (each member writing its own) it has no change of its own, as
    oxc's crates do. None: it writes one."""
    group = _group(ctx)
    if group is None or ctx.package is None:
        return None
    writers = _writers(ctx, group)
    if ctx.package.name not in writers:
        return f"its group's changelog is {next(iter(writers), 'none')}'s"
    if len(writers) > 1 and not ctx.commits and not _every_release(ctx, writers[ctx.package.name]):
        return f"no change of {ctx.package.name}'s own in its group's release"
    return None


def _every_release(ctx: ReleaseContext, path: Path) -> bool:
    """Does this changelog have a section for each of the group's last 3 releases (changesets
    writes one for every member, changed or not)?"""
    fmt = ctx.tag_format
    found = [v for tag in ctx.git.tags(fmt.glob) if (v := fmt.parse(tag)) and not v.prerelease]
    if ctx.base is not None:  # none after the release this one follows (a replay's past)
        found = [v for v in found if v <= ctx.base.version]
    last = sorted(found, reverse=True)[:3]
    text = path.read_text(encoding="utf-8", errors="replace")
    named = {
        v for title in changelog_file.headings(text) for v in changelog_file.versions_in(title.text)
    }
    return bool(last) and all(str(v) in named for v in last)


def group_filters(ctx: ReleaseContext) -> tuple[list[str], list[str]] | None:
    """The path globs of a group's one changelog: every member's folder, less the folders of
    the other packages nested in them. None unless `ctx`'s package writes it alone."""
    group = _group(ctx)
    if group is None or ctx.package is None or len(_writers(ctx, group)) != 1:
        return None
    packages = ctx.lookups.packages(ctx.root, ctx.config)
    members = {p.root for p in packages if p.name in _released(group)}
    others = [p.root for p in packages if p.name not in _released(group)]
    shared = ctx.config.version.shared_paths
    if "" in members:  # a member at the root: everything but the other packages' folders
        return path_filters("", others, shared)
    include: list[str] = []
    exclude: list[str] = []
    for folder in sorted(members):
        inc, exc = path_filters(folder, [*others, folder], [])
        include += inc
        exclude += exc
    return include, sorted(set(exclude)) + list(shared)


def filters_of(ctx: ReleaseContext) -> tuple[list[str], list[str]]:
    """The path globs of `ctx`'s package; none in lockstep."""
    if ctx.package is None:
        return [], []
    if (grouped := group_filters(ctx)) is not None:  # a group's one changelog: all members'
        return grouped
    # the command's lookups: every package context of one cut shares them
    folders = [p.root for p in ctx.lookups.packages(ctx.root, ctx.config)]
    return path_filters(ctx.package.root, folders, ctx.config.version.shared_paths)

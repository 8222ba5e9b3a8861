"""The parts of init's config that come from the groups learned (release.commands.init_groups):
what the release commits taught, fitted to the groups, and the config text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from release.commands.init_groups import Groups as Groups  # re-exported for init_detect
from release.commands.init_groups import detect_groups as detect_groups
from release.commands.init_learn import Learned
from release.core.project.manifests import PatternFile
from release.core.project.packages import Package
from release.tools.git import Git

_CHANGELOG = re.compile(r"(?i)^(changelog|changes|history|news|releases)\b")
_OTHER_VERSION = re.compile(r"v?[0-9]+\.[0-9]+")
_OTHER_VERSION_FULL = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+\-]*")
_VERSION_LINES = {".toml": 'version = "{version}"', ".json": '"version": "{version}"'}


def refine(
    groups: Groups, learned: Learned, packages: list[Package], formats: dict[str, str], git: Git
) -> None:
    """What init learned from the release commits, fitted to the groups: the changelogs a
    group's members write are files named like one (not a README whose heading names the
    release); a pyproject.toml or package.json that is no package (a private app's) is an
    extra manifest, its version line; an extra manifest bumped by a group's releases is its
    member's."""
    learned.tag_formats = formats
    if not groups.groups:
        return
    root = git.root
    own = {m for p in packages for m in (p.manifest, *p.companions)}
    # an unpublished crate that a group's releases bump (oxc's apps/oxlint): no package
    crates = sorted(p for p in learned.bumped if Path(p).name == "Cargo.toml" and "/" in p)
    for listed in (learned.python, learned.npm, crates):
        for path in [p for p in listed if root / p not in own]:
            search = _VERSION_LINES[Path(path).suffix]
            # its own version line alone: a bump rewrites every line the search matches
            if (root / path).is_file() and len(PatternFile(root / path, search).current()) == 1:
                listed.remove(path)
                learned.extra.append((path, search, None))
    learned.changelogs = {
        n: path
        for n, path in learned.changelogs.items()
        if n not in groups.members or _CHANGELOG.match(Path(path).name)
    }
    learned.extra = _extras(groups, learned, packages, root) + _follower_files(
        git, groups, packages
    )


def _states(root: Path, search: str, path: str, version: str) -> bool:
    """Does the extra manifest `path` state `version` now (its search line, filled in)?"""
    if not version or not (root / path).is_file():
        return False
    return search.replace("{version}", version) in (root / path).read_text("utf-8", "replace")


def _follower_files(
    git: Git, groups: Groups, packages: list[Package]
) -> list[tuple[str, str, str | None]]:
    """The files in a follower's folder (its README) that its group's last release commit
    bumped to the follower's own version, as extra manifests of the follower: the line, cut
    before any other version it names (the group's, which moves on its own)."""
    roots = {p.name: p.root for p in packages}
    manifests = {
        str(m.relative_to(git.root)) for p in packages for m in (p.manifest, *p.companions)
    }
    found: list[tuple[str, str, str | None]] = []
    for commit, versions in groups.follower_versions.items():
        changed = git.out("diff", "--name-only", "--no-renames", f"{commit}^1", commit).splitlines()
        for name, version in versions.items():
            folder = roots.get(name)
            paths = {p for p in changed if folder and p.startswith(folder + "/")} - manifests
            for path, line in sorted(_bumped_lines(git, commit, paths, version).items()):
                found.append((path, _cut(line.replace(version, "{version}", 1)), name))
    return found


def _bumped_lines(git: Git, commit: str, paths: set[str], version: str) -> dict[str, str]:
    """path -> the first line in which `commit` set `version` where the line named another
    (every version in it may move: `This version (0.0.72) is a component of uv 0.12.5`)."""
    if not paths:
        return {}
    diff = git.out("diff", "-U0", "--no-renames", f"{commit}^1", commit, "--", *sorted(paths))
    found: dict[str, str] = {}
    removed: set[str] = set()
    path = ""
    for line in diff.splitlines():
        if line.startswith("+++ "):
            path, removed = line[6:] if line.startswith("+++ b/") else "", set()
        elif line.startswith("-") and not line.startswith("--- "):
            removed.add(_OTHER_VERSION_FULL.sub("V", line[1:]))
        elif (
            line.startswith("+")
            and path
            and version in line
            and path not in found
            and _OTHER_VERSION_FULL.sub("V", line[1:]) in removed
        ):
            found[path] = line[1:].strip()
    return found


def _extras(
    groups: Groups, learned: Learned, packages: list[Package], root: Path
) -> list[tuple[str, str, str | None]]:
    """An extra manifest bumped when several packages were released at once (so no one
    package named): the package whose folder holds it, when it was among them; else the
    package released with it whose folder is named like one the file is in; else the group
    that was released each time it was bumped."""
    roots = sorted(((p.root, p.name) for p in packages), key=lambda r: -len(r[0]))
    versions = {p.name: str(p.version) for p in packages}
    assigned = []
    for path, search, package in learned.extra:
        if package is None:
            owners = learned.owners.get(path, set())
            holder = next((n for r, n in roots if not r or path.startswith(r + "/")), None)
            # a folder named like a released package's (apps/tool/ for npm/tool)
            folders = set(Path(path).parts[:-1])
            named = [n for r, n in roots if n in owners and r and Path(r).name in folders]
            group = [m for t, m in groups.groups if owners and owners <= groups.released(t)]
            # else the one group (or package) released with it whose version it states
            stating = {n for n in owners if _states(root, search, path, versions.get(n, ""))}
            by_version = [m for t, m in groups.groups if stating and stating <= set(m)]
            package = (
                holder
                if holder in owners
                else named[0]
                if len(named) == 1
                else group[0][0]
                if group
                else by_version[0][0]
                if by_version
                else next(iter(stating))
                if len(stating) == 1
                else None
            )
        assigned.append((path, _cut(search), package))
    return assigned


def _cut(search: str) -> str:
    """A search line cut before any other version it names literally (`This version
    ({version}) is a component of [uv 0.12.5]`): that one moves on its own, and the line
    would not match after the next release."""
    start = search.find("{version}")
    other = _OTHER_VERSION.search(search, start + len("{version}")) if start >= 0 else None
    return search[: other.start()] if other else search


def groups_toml(learned: Groups) -> str:
    """The `[[version.groups]]` tables learned, for the config init writes."""
    return "".join(
        "\n[[version.groups]]             # released together, as their release commits show\n"
        f"packages = [{', '.join(json.dumps(m) for m in members)}]\n"
        f"tag_format = {json.dumps(template)}\n"
        + (
            f"followers = [{', '.join(json.dumps(f) for f in followers)}]"
            "  # bumped in its release commits, at their own versions\n"
            if (followers := learned.followers.get(template))
            else ""
        )
        for template, members in learned.groups
    )


def exclude_line(learned: Groups) -> str:
    if not learned.exclude:
        return ""
    names = ", ".join(json.dumps(n) for n in learned.exclude)
    return f"exclude = [{names}]  # no release tagged or bumped them\n"


def found_lines(learned: Groups) -> list[str]:
    """What init says it learned (its "found:" list)."""
    lines = [
        f"released together under {template!r}: {', '.join(members)}"
        + (
            f"; with their own versions: {', '.join(f)}"
            if (f := learned.followers.get(template))
            else ""
        )
        for template, members in learned.groups
    ]
    if learned.exclude:
        lines.append(f"not released: {', '.join(learned.exclude)}")
    return lines

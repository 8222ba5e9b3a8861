"""What `release init` learns about packages released together: for every tag prefix the
repository uses (`v`, `oxlint_v`, `@scope/tool@`), the packages whose manifests the release
commits of those tags bump to the tag's version. Two or more such packages are a group with
that tag format (`[[version.groups]] tag_format`); one alone, a package's own tag format. When
the releases go by groups, a package that no group holds and no tag of its own names (a
publishable test crate) is not released (`[version] exclude`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from release.base.errors import ReleaseError
from release.base.versioning import TagFormat, Version
from release.commands.replay_scratch import has_parent
from release.core.project.layout import Layout
from release.core.project.packages import Package, discover
from release.core.settings.config import Config
from release.tools.git import Git
from release.tools.git_history import tag_commits

RELEASES_READ = 5  # per tag prefix, the latest
_VERSION_START = re.compile(r"(?<![0-9])(?=[0-9]+\.[0-9]+\.[0-9]+)")
_OWN_VERSION = re.compile(r"""^\s*"?version"?\s*[:=]\s*["']([^"']+)["']""")
_INHERITED = re.compile(r"^version\s*(\.\s*workspace\s*=\s*true|=\s*\{\s*workspace)", re.MULTILINE)


@dataclass
class Groups:
    groups: list[tuple[str, list[str]]] = field(default_factory=list)  # (tag format, members)
    tag_formats: dict[str, str] = field(default_factory=dict)  # one package's own prefix
    exclude: list[str] = field(default_factory=list)
    alone: list[str] = field(default_factory=list)  # released under tags of their own
    followers: dict[str, list[str]] = field(default_factory=dict)  # tag format -> followers
    # a group's last release commit -> the versions it gave its followers
    follower_versions: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def formats(self) -> list[str]:
        return [template for template, _ in self.groups]

    @property
    def members(self) -> set[str]:
        """Every package a group releases, followers included."""
        grouped = {name for _, members in self.groups for name in members}
        return grouped | {name for names in self.followers.values() for name in names}

    def own(self, formats: dict[str, str]) -> dict[str, str]:
        """The tag formats of the packages that no group holds (and those learned here)."""
        every = {**formats, **self.tag_formats}
        return {n: f for n, f in every.items() if n not in self.members}

    def formats_of(
        self, packages: list[Package], own: dict[str, str], style: str
    ) -> dict[str, TagFormat]:
        """Every released package's tag format: its group's, its own, or the style's."""
        return {
            p.name: TagFormat(
                self.format_of(p.name) or own.get(p.name, style.replace("{name}", p.name))
            )
            for p in packages
            if p.name not in self.exclude
        }

    def released(self, template: str) -> set[str]:
        """What the group of `template` releases: its members and its followers."""
        members = next((set(m) for t, m in self.groups if t == template), set())
        return members | set(self.followers.get(template, []))

    def format_of(self, name: str) -> str | None:
        followed = [t for t, names in self.followers.items() if name in names]
        return next((t for t, members in self.groups if name in members), None) or next(
            iter(followed), None
        )


def by_template(tags: dict[str, str]) -> dict[str, list[tuple[Version, str]]]:
    """tag template (`oxlint_v{version}`) -> [(version, commit)] of its final releases,
    the highest first."""
    found: dict[str, list[tuple[Version, str]]] = {}
    for tag, commit in tags.items():
        for start in _VERSION_START.finditer(tag):
            try:
                version = Version.parse(tag[start.start() :])
            except ValueError:
                continue
            if not version.prerelease and not version.build:
                found.setdefault(tag[: start.start()] + "{version}", []).append((version, commit))
            break
    for releases in found.values():
        releases.sort(reverse=True)
    return found


def _version_files(root: Path, packages: list[Package]) -> dict[str, set[str]]:
    """manifest path -> the packages whose version it states (a crate inheriting the
    workspace's version: the root Cargo.toml)."""
    files: dict[str, set[str]] = {}
    for package in packages:
        manifest = package.manifest
        text = manifest.read_text(encoding="utf-8", errors="replace")
        if package.kind == "crate" and _INHERITED.search(text):
            manifest = root / "Cargo.toml"
        for path in (manifest, *package.companions):
            files.setdefault(str(path.relative_to(root)), set()).add(package.name)
    return files


def _stating(git: Git, commit: str, files: dict[str, set[str]]) -> dict[str, str]:
    """The manifests whose own version line (`version = "1.2.3"`, `"version": "1.2.3"`, not a
    requirement on a sibling) `commit` changed, and the version it sets."""
    if not files:
        return {}  # no pathspec would diff every file of the commit
    diff = git.out("diff", "-U0", "--no-renames", f"{commit}^1", commit, "--", *sorted(files))
    found, path = {}, ""
    for line in diff.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("+") and path in files and (stated := _OWN_VERSION.match(line[1:])):
            found[path] = stated.group(1)  # a pathspec may name more than the file (a folder)
    return found


def learn_groups(git: Git, packages: list[Package], own: dict[str, str]) -> Groups:
    """`own`: each package's own tag format (the repository's style, or its learned one)."""
    files = _version_files(git.root, packages)
    tags = tag_commits(git, merged=True)
    own_tags = {name: TagFormat(fmt) for name, fmt in own.items()}
    candidates: list[_Candidate] = []
    ever: set[str] = set()  # the packages whose version some release commit read moved
    for template, releases in by_template(tags).items():
        owner = next((n for n, f in own.items() if f == template), None)
        counts: dict[str, int] = {}
        moved: dict[str, int] = {}  # bumped to a version of their own, untagged
        releases = [r for r in releases[:RELEASES_READ] if has_parent(git, r[1])]
        latest: tuple[str, dict[str, str]] = ("", {})
        for index, (version, commit) in enumerate(releases):
            stated = {n: v for p, v in _stating(git, commit, files).items() for n in files[p]}
            latest = latest if index else (commit, stated)
            ever |= set(stated)
            # A package tagged on its own at its new version is released beside, not with it.
            alone = {n for n, v in stated.items() if n != owner and _tagged(own_tags[n], v, tags)}
            bumped = {n for n, v in stated.items() if v == str(version)} - alone
            if index == 0 and len(bumped) < 2:
                if bumped and bumped != {owner}:
                    candidates.append(_Candidate(template, sorted(bumped), [], len(releases)))
                break  # its latest release moved one package at most: no group
            for name in bumped:
                counts[name] = counts.get(name, 0) + 1
            for name in set(stated) - bumped - alone:
                moved[name] = moved.get(name, 0) + 1
        members = sorted(n for n, c in counts.items() if 2 * c >= len(releases))
        followers = sorted(n for n, c in moved.items() if 2 * c >= len(releases))
        if len(members) >= 2:
            candidates.append(_Candidate(template, members, followers, len(releases), latest))
    learned = _resolve(candidates, own)
    if learned.groups:  # released by groups: what no group holds and nothing tags is not
        grouped = learned.members | set(learned.tag_formats)
        tagged = {
            p.name for p in packages if any(own_tags[p.name].parse(t) is not None for t in tags)
        }
        learned.exclude = [p.name for p in packages if p.name not in grouped | ever | tagged]
        learned.alone = sorted((tagged | set(learned.tag_formats)) - learned.members)
    return learned


def _tagged(fmt: TagFormat, version: str, tags: dict[str, str]) -> bool:
    try:
        return fmt.format(Version.parse(version)) in tags
    except ValueError:
        return False


@dataclass
class _Candidate:
    template: str
    members: list[str]
    followers: list[str]
    tagged: int  # how many releases the template has
    latest: tuple[str, dict[str, str]] = ("", {})  # its last release: commit, versions set


def _resolve(candidates: list[_Candidate], own: dict[str, str]) -> Groups:
    """One group per package: the prefixes that name one of their members first (`oxlint_v`
    over `apps_v` for the same packages), then the ones tagged most often."""

    def rank(candidate: _Candidate) -> tuple[bool, int, int, str]:
        prefix = candidate.template.partition("{version}")[0]
        named = any(m.lstrip("@").split("/")[-1] in prefix for m in candidate.members)
        return (not named, -candidate.tagged, -len(candidate.members), candidate.template)

    learned = Groups()
    taken: set[str] = set()
    ranked = sorted(candidates, key=rank)
    for candidate in ranked:
        left = [m for m in candidate.members if m not in taken]
        template = candidate.template
        if len(left) >= 2:
            learned.groups.append((template, left))
        elif len(left) == 1 and own.get(left[0]) != template:
            learned.tag_formats[left[0]] = template
        taken |= set(left)
    for candidate in ranked:  # once every group has its members
        if candidate.template in learned.formats:
            left = [f for f in candidate.followers if f not in taken]
            if left:
                learned.followers[candidate.template] = left
                commit, stated = candidate.latest
                learned.follower_versions[commit] = {f: stated[f] for f in left if f in stated}
            taken |= set(left)
    return learned


def detect_groups(
    git: Git, layout: Layout, names: list[str], style: str | None
) -> tuple[Groups, list[str], str | None]:
    """The groups the history shows, and the packages and tag style of independent mode
    (`names`, `style`: as the manifests' versions decided). A repository whose manifests
    agree is independent still when its releases go by two or more groups (oxc's products)."""
    from release.commands.init_learn import tag_formats
    from release.core.plan.package_tags import tag_style

    try:
        packages = discover(git.root, Config(), layout)
    except ReleaseError:
        return Groups(), names, style
    every = set(git.tags("*"))
    style = style or tag_style(every, [p.name for p in packages])
    formats = tag_formats(every, packages, style)
    own = {p.name: formats.get(p.name, style.replace("{name}", p.name)) for p in packages}
    learned = learn_groups(git, packages, own)
    if names or len(learned.groups) >= 2 or (learned.groups and learned.alone):
        return learned, names or [p.name for p in packages], style
    return Groups(), names, None

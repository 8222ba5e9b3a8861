"""What `release init` learns from the project's own last releases (their tags and the commits
they point at): each package's tag format, the files a release commit bumps (at any depth),
the release commit's message as a template, and which changelog each package writes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from release.base._toml import tomllib
from release.base.versioning import TagFormat
from release.commands.init_learn_owners import with_owners
from release.commands.init_tag_series import series_formats
from release.commands.replay import releases
from release.commands.replay_scratch import Found, carries_version, section_files
from release.core.plan.replay_diff import is_lock_file
from release.core.project.package_names import collisions
from release.core.project.packages import Package
from release.core.settings.config_version import PACKAGE_TAG_STYLES
from release.tools.git import Git
from release.tools.run import run

LEARN_FROM = 10  # releases
_CHANGELOG = re.compile(r"(?i)^(changelog|changes|history|news|releases)\b")
_PR = re.compile(r"\s*\(#\d+\)|\s*#\d+\b")
_TRAILER = re.compile(r"^[A-Z][\w-]+: ")  # Signed-off-by:, Co-authored-by:


@dataclass
class Learned:
    releases: int = 0  # release commits read
    tag_formats: dict[str, str] = field(default_factory=dict)  # package -> its own format
    npm: list[str] = field(default_factory=list)
    python: list[str] = field(default_factory=list)
    version_files: list[str] = field(default_factory=list)
    # (path, search, the package whose version it states: independent mode only)
    extra: list[tuple[str, str, str | None]] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # carry the version, in no manifest
    commit_message: str | None = None
    changelogs: dict[str, str] = field(default_factory=dict)  # package -> its changelog
    changelog: str | None = None  # lockstep: the file the release commits write sections in
    also: list[str] = field(default_factory=list)  # lockstep: other files they write them in
    bumped: set[str] = field(default_factory=set)  # every file the release commits bumped
    shared_names: list[str] = field(default_factory=list)  # names two ecosystems share, in words
    owners: dict[str, set[str]] = field(default_factory=dict)  # file -> packages released with it


def tag_formats(tags: set[str], packages: list[Package], style: str) -> dict[str, str]:
    """The packages whose releases are tagged in another format than the repository's style
    (the main crate `v1.48.0` beside `{name}-v{version}` libraries): the format under which
    the version each one states was tagged."""
    learned: dict[str, str] = {}
    untagged: list[Package] = []  # in none of the usual styles: tagged in a series?
    plain = ["v{version}", "{version}"]
    for package in packages:
        own = style.replace("{name}", package.name)
        if TagFormat(own).format(package.version) in tags:
            continue
        spelled = dict.fromkeys((package.name, package.manifest_name))  # `polars`, not `cargo/…`
        styles = [s.replace("{name}", n) for n in spelled for s in PACKAGE_TAG_STYLES] + plain
        hit = next((f for f in styles if TagFormat(f).format(package.version) in tags), None)
        if hit is not None and hit != own and hit not in learned.values():
            learned[package.name] = hit
        elif hit is None:
            untagged.append(package)
    names = {p.manifest_name for p in packages}
    return learned | series_formats(tags, untagged, learned.values(), names)


def release_commits(git: Git, formats: dict[str, TagFormat]) -> list[Found]:
    return releases(git, formats, LEARN_FROM)


def commit_template(git: Git, found: list[Found]) -> str | None:
    """The message the last release commits share, with their tag and version as
    placeholders, PR numbers and trailers dropped, its lines kept (`{version}\n\nbump
    version`): the lines every one of them has. A long body (a release PR's description) is
    one-off text: the subject alone then. None when no message names its release."""
    templates: list[list[str]] = []
    for index in range(max(0, len(found) - 5), len(found)):
        release = found[index]
        if len(set(release.tags.values())) != 1:
            continue  # several tags; a group's members share one
        tag, version = next(iter(release.tags.values()))
        earlier = found[index - 1].tags if index else {}
        before = next((earlier[n] for n in release.tags if n in earlier), None)
        parents, _, message = git.out("log", "-1", "--format=%P%n%B", release.commit).partition(
            "\n"
        )
        if " " in parents.strip():
            continue  # a merge: its message is the merge's, not a release's
        text = message.replace("{", "{{").replace("}", "}}")
        text = (
            text.replace(tag, "{tag}") if tag in text else text.replace(str(version), "{version}")
        )
        if "{tag}" not in text and "{version}" not in text:
            continue
        if before is not None:  # "bump: version 4.16.5 → 4.17.0" names the release before
            text = _named(
                _named(text, before[0], "{previous_tag}"), str(before[1]), "{previous_version}"
            )
        lines = [_PR.sub("", line).rstrip() for line in text.splitlines()]
        templates.append([line for line in lines if not _TRAILER.match(line)])
    if not templates:
        return None
    subjects = Counter(t[0] for t in templates if t)
    subject = subjects.most_common(1)[0][0]
    alike = [t for t in templates if t and t[0] == subject]
    shared = [line for line in alike[-1] if all(line in t for t in alike)]
    body = "\n".join(shared).strip("\n")
    if sum(1 for line in shared if line.strip()) > 3 or not _placeholder(body):
        return subject if _placeholder(subject) else None
    return re.sub(r"\n{3,}", "\n\n", body)


def _named(text: str, value: str, field: str) -> str:
    """`value` as `field` where it stands alone (1.2.1 is not inside 1.2.10)."""
    return re.sub(rf"(?<![\w.]){re.escape(value)}(?![\w.])", field, text)


def _placeholder(text: str) -> bool:
    return "{tag}" in text or "{version}" in text


def manifest_files(
    git: Git, found: list[Found], known: set[str], now: frozenset[str] = frozenset()
) -> tuple[Learned, set[str]]:
    """The files the release commits bumped that no manifest of the config names yet, sorted
    into the config's manifest kinds; and the changelogs they wrote. `now`: the versions the
    packages state today, which a file bumped since the last release read states too."""
    learned = Learned(releases=len(found))
    bumped: dict[str, set[str]] = {}  # path -> the versions its release commits wrote
    owners: dict[str, set[str]] = {}  # path -> the packages released when it was bumped
    changelogs: set[str] = set()
    written: Counter[str] = Counter()
    last: dict[str, str] = {}  # path -> the last release commit that bumped it
    latest: set[str] = set()
    for release in found:
        changed = git.out(
            "diff", "--name-only", "--no-renames", f"{release.commit}^1", release.commit
        )
        paths = {p for p in changed.splitlines() if p}
        versions = {str(v) for _, v in release.tags.values()}
        carrying = carries_version(git, release.commit, paths, versions)
        sections = section_files(git, release.commit, {p for p in paths if _is_text(p)}, versions)
        written.update(sections)
        latest = sections  # the last release's: a changelog it did not write is written no more
        changelogs |= sections | {p for p in carrying if _CHANGELOG.match(Path(p).name)}
        for path in carrying:
            bumped.setdefault(path, set()).update(versions)
            last[path] = release.commit
            owners.setdefault(path, set()).update(release.tags)
    learned.bumped, learned.owners = set(bumped), owners
    for path in sorted(set(bumped) - changelogs):
        name = Path(path).name
        if is_lock_file(name) or name == "Cargo.toml" or not (git.root / path).is_file():
            continue  # cargo bumps the workspace's crates and its lock; a lock is regenerated
        # A pyproject whose [project] version is dynamic is bumped elsewhere in it (pyo3's
        # `[tool.towncrier] version`): a line to learn even when it is a known manifest.
        dynamic = name == "pyproject.toml" and not _project_version(git.root / path)
        if path in known and not dynamic:
            continue
        if name == "package.json":
            learned.npm.append(path)
        elif name == "pyproject.toml" and not dynamic:
            learned.python.append(path)
        elif name.endswith(".py") and "__version__" in _read(git.root / path):
            learned.version_files.append(path)
        elif search := _search_line(
            _read(git.root / path), bumped[path] | now
        ) or _search_line(  # HEAD is past the last release this branch reaches
            git.out("show", f"{last[path]}:{path}"), bumped[path]
        ):
            (owner, *others) = sorted(owners[path])
            package = owner if owner and not others else None
            learned.extra.append((path, search, package))
    # The most written; of files written alike, the one nearest the root (lerna writes
    # CHANGELOG.md and packages/lerna/CHANGELOG.md in every release). Written by a few
    # releases only, it is kept by hand (flask dates a section written before the release).
    primary = max(written, key=lambda p: (written[p], -p.count("/"), p)) if written else None
    if primary is not None and (2 * written[primary] >= len(found) or len(found) < 3):
        learned.changelog = primary
        learned.also = sorted(
            p
            for p, n in written.items()
            if p != learned.changelog and n >= 2 and 2 * n >= len(found) and p in latest
        )
    return learned, changelogs


def unlisted(git: Git, version: str, listed: set[str]) -> list[str]:
    """Files that state the current version (`version = "1.2.3"`, `"version": "1.2.3"`,
    `__version__`) and are in no manifest of the config: a release would leave them behind."""
    pattern = r"(version|VERSION)[\"']?\s*[:=]\s*[\"']v?" + re.escape(version) + r"[\"']"
    args = ["git", "grep", "-I", "-l", "-E", "-e", pattern, "HEAD", "--"]
    out = run(args, cwd=git.root, check=False).stdout
    paths = {line.partition(":")[2] for line in out.splitlines()}
    return sorted(
        p
        for p in paths - listed
        if p
        and not is_lock_file(p)
        and Path(p).name != "Cargo.toml"
        and not _CHANGELOG.match(Path(p).name)
    )


def _is_text(path: str) -> bool:
    return path.lower().endswith((".md", ".rst", ".markdown", ".txt")) or "." not in Path(path).name


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _project_version(path: Path) -> bool:
    """Whether a pyproject.toml states its `[project] version`."""
    try:
        project = tomllib.loads(_read(path)).get("project", {})
    except tomllib.TOMLDecodeError:
        return False
    return isinstance(project, dict) and isinstance(project.get("version"), str)


def _search_line(text: str, versions: set[str]) -> str | None:
    """The first line of `text` that states one of `versions` (`version: 1.2.3`,
    `tool@1.2.3`, `rev = "v1.2.3"`; not prose that happens to name it), as an extra
    manifest's search template."""
    for line in text.splitlines():
        for version in sorted(versions, key=len, reverse=True):
            v = re.escape(version)
            # `version: 1.2.3`, `tool@1.2.3`, `rev = "v1.2.3"`, a URL's `/config/1.2.3`
            stated = re.compile(
                rf"(?i)(version|release|tag|rev)\W{{0,5}}v?{v}|[@=:/]\s*[\"']?v?{v}"
            )
            if stated.search(line) and len(line.strip()) <= 120:
                return line.strip().replace(version, "{version}", 1)
    return None


def package_changelogs(
    git: Git, found: list[Found], packages: list[Package], package_path: str
) -> dict[str, str]:
    """Packages whose release commits write a changelog other than their folder's own (the
    main crate writing the repository's CHANGELOG.md)."""
    by_name = {p.name: p for p in packages}
    learned: dict[str, str] = {}
    for release in found:
        changed = git.out("diff", "--name-only", f"{release.commit}^1", release.commit)
        logs = {p for p in changed.splitlines() if _is_text(p)}
        for name, (_, version) in release.tags.items():
            package = by_name.get(name)
            hits = section_files(git, release.commit, logs, {str(version)}) if package else set()
            if package is None or len(hits) != 1:
                continue
            (path,) = hits
            if path != str(Path(package.root) / package_path) and (git.root / path).is_file():
                learned[name] = path
    return learned


def learn(
    git: Git,
    formats: dict[str, TagFormat],
    known: set[str],
    current: str | None,
    packages: list[Package] | None = None,
    package_path: str = "CHANGELOG.md",
) -> Learned:
    """Everything above from the last releases of `formats` ("" -> the lockstep format)."""
    found = release_commits(git, formats)
    now = frozenset(str(p.version) for p in packages or [])
    learned, _ = manifest_files(git, found, known, now)
    if packages:  # a file bumped with several packages' releases: whose version it states
        learned.extra = with_owners(
            git, found, learned.extra, packages, lambda p, v: _search_line(_read(git.root / p), v)
        )
    learned.commit_message = commit_template(git, found)
    if packages:
        learned.changelogs = package_changelogs(git, found, packages, package_path)
        learned.shared_names = collisions(packages)
    if current:
        listed = known | set(learned.npm + learned.python + learned.version_files)
        listed |= {path for path, _, _ in learned.extra}
        learned.unlisted = unlisted(git, current, listed)
    return learned

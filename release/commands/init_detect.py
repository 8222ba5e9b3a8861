"""What `release init` reads from an existing repository before writing release-toolkit.toml: the
default branch, the project's name, the tag format in use, licences and README, the changelog
and its format, git-cliff's configuration, and the workflows that already run on a tag."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from release.base._toml import tomllib
from release.base.versioning import TagFormat
from release.commands.init_groups_learned import Groups, detect_groups, refine
from release.commands.init_learn import Learned, learn, tag_formats
from release.core.plan.npm_independence import npm_independent
from release.core.plan.planning import find_releases
from release.core.project import npm as npm_packages
from release.core.project import pyproject_meta
from release.core.project.layout import Layout, detect
from release.core.project.licences import licence_files
from release.core.project.manifests import CargoWorkspace, manifests_for
from release.core.project.packages import discover, stated_versions
from release.core.project.unpublished import unpublished
from release.core.settings.config import Config
from release.tools.git import Git

CHANGELOGS = ("CHANGELOG", "CHANGES", "HISTORY", "NEWS", "RELEASES")
CLIFF_CONFIGS = ("cliff.toml", ".cliff.toml")
_SEMVER_TAIL = r"(\d+\.\d+\.\d+(?:-[0-9A-Za-z.\-]+)?)"


@dataclass(frozen=True)
class Workflow:
    path: str  # relative to the root
    trigger: str  # what starts it, in words


@dataclass
class Detected:
    root: Path
    layout: Layout
    name: str
    name_from: str
    branch: str
    branch_from: str
    tag_format: str
    last_tag: str | None
    npm: list[Path] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    readme: str | None = None
    changelog: str | None = None
    changelog_format: str = "markdown"  # "markdown", "rst" or "text"
    cliff_config: str | None = None  # the project's own git-cliff configuration
    commit_message: str | None = None  # the last release commit's subject, as a template
    workflows: list[Workflow] = field(default_factory=list)  # run on a tag or a release
    # The packages state different versions: each is released on its own, in tags of this
    # style (the repository's own, else `{name}-v{version}`).
    packages: list[str] = field(default_factory=list)
    package_tag_format: str | None = None
    learned: Learned = field(default_factory=Learned)  # from the last releases
    groups: Groups = field(default_factory=Groups)  # packages released together

    @property
    def learned_version(self) -> str | None:
        """The version of the last release (lockstep), as files state it."""
        version = TagFormat(self.tag_format).parse(self.last_tag) if self.last_tag else None
        return str(version) if version else None

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))


def detect_all(root: Path, remote: str = "origin") -> Detected:
    git = Git(root)
    layout = detect(root, Config())
    tag_format, last_tag = _tag_format(git)
    version = TagFormat(tag_format).parse(last_tag) if last_tag else None
    manifests = manifests_for(root, Config(), layout)
    npm = [m.path for m in manifests if isinstance(m, npm_packages.PackageJson)]
    if not npm and version is not None:  # no other manifest states it: the tag does
        npm = [p.path for p in npm_packages.detect(root, {str(version)})]
    name, name_from = _name(root, layout, npm, git.remote_url(remote))
    branch, branch_from = _branch(git, remote)
    changelog = _first(root, [f"{n}{s}" for n in CHANGELOGS for s in (".md", ".rst", "", ".txt")])
    groups, packages, package_tag_format = detect_groups(git, layout, *_independent(git, layout))
    known = {str(p.relative_to(root)) for p in [*layout.python, *layout.version_files, *npm]}
    learned = _learn(git, layout, tag_format, package_tag_format, known, groups)  # None: lockstep
    if not packages and learned.changelog and (root / learned.changelog).is_file():
        changelog = learned.changelog  # where the release commits write their sections
    message = _commit_message(git, last_tag, str(version) if version else None)
    return Detected(
        root=root,
        layout=layout,
        name=name,
        name_from=name_from,
        branch=branch,
        branch_from=branch_from,
        tag_format=tag_format,
        last_tag=last_tag,
        npm=npm,
        licences=licence_files(root),
        readme=_first(root, ["README.md", "README.rst", "README.txt", "README"]),
        changelog=changelog,
        changelog_format=_format(changelog),
        cliff_config=_first(root, list(CLIFF_CONFIGS)),
        commit_message=learned.commit_message or message,
        workflows=workflows(root),
        packages=packages,
        package_tag_format=package_tag_format,
        learned=learned,
        groups=groups,
    )


def _learn(
    git: Git, layout: Layout, tag_format: str, style: str | None, known: set[str], groups: Groups
) -> Learned:
    """What the last releases say (init_learn): lockstep in `tag_format`, or packages in `style`."""
    if style is None:
        fmt = TagFormat(tag_format)
        previous, _ = find_releases(git, fmt)
        current = str(previous.version) if previous else None
        return learn(git, {"": fmt}, known, current)
    packages = discover(git.root, Config(), layout)
    formats = groups.own(tag_formats(set(git.tags("*")), packages, style))
    every = groups.formats_of(packages, formats, style)
    known = {k for k in known if not k.endswith("package.json")}  # a private one is no package
    known |= {str(p.manifest.relative_to(git.root)) for p in packages}
    learned = learn(git, every, known, None, packages, Config().changelog.package_path)
    refine(groups, learned, packages, formats, git)
    return learned


def _independent(git: Git, layout: Layout) -> tuple[list[str], str | None]:
    """The packages and their tag style when their versions disagree (tokio, release-plz),
    else nothing: the repository is versioned in lockstep."""
    if len(stated_versions(git.root, layout)) <= 1 and not npm_independent(git):
        return [], None
    from release.core.plan.package_tags import tag_style

    names = [p.name for p in discover(git.root, Config(), layout)]
    return names, tag_style(git.tags("*"), names)


def _commit_message(git: Git, tag: str | None, version: str | None) -> str | None:
    """The last release commit's subject with its tag (or version) as a placeholder:
    "chore(release): prepare for v2.13.1" -> "chore(release): prepare for {tag}"."""
    if tag is None or version is None:
        return None
    subject = git.out("log", "-1", "--format=%s", f"refs/tags/{tag}^{{commit}}")
    template = subject.replace("{", "{{").replace("}", "}}")
    if tag in template:
        return template.replace(tag, "{tag}", 1)
    if version in template:
        return template.replace(version, "{version}", 1)
    return None


def _first(root: Path, names: list[str]) -> str | None:
    """The first of `names` present at the root, matched without regard to case."""
    present = {p.name.lower(): p.name for p in root.iterdir() if p.is_file()}
    return next((present[n.lower()] for n in names if n.lower() in present), None)


def _format(changelog: str | None) -> str:
    if changelog is None or changelog.lower().endswith((".md", ".markdown")):
        return "markdown"
    return "rst" if changelog.lower().endswith(".rst") else "text"


def _branch(git: Git, remote: str) -> tuple[str, str]:
    found = git.default_branch(remote)
    if found:
        return found, f"the default branch of {remote}"
    current = git.branch()
    if current:
        return current, "the current branch (the remote names no default)"
    return "main", "the default (no remote and a detached HEAD)"


def _tag_format(git: Git) -> tuple[str, str | None]:
    """The tag format most release tags follow ("v1.2.0" -> "v{version}"), and the last one."""
    shapes: Counter[str] = Counter()
    for tag in git.tags("*"):
        match = re.match(rf"^(.*?){_SEMVER_TAIL}$", tag)
        if match and not re.search(r"\d$", match.group(1)):
            shapes[match.group(1) + "{version}"] += 1
    tag_format = shapes.most_common(1)[0][0] if shapes else "v{version}"
    previous, _ = find_releases(git, TagFormat(tag_format))
    return tag_format, previous.tag if previous else None


def _name(root: Path, layout: Layout, npm: list[Path], remote_url: str | None) -> tuple[str, str]:
    """The project's name from its manifests; the repository's name decides between them."""
    candidates: list[tuple[str, str]] = []
    if layout.cargo is not None:
        candidates += [(n, "Cargo.toml") for n in _top_crates(CargoWorkspace(layout.cargo))]
    for pyproject in layout.python or [root / "pyproject.toml"]:
        name = pyproject_meta.name_of(read_toml(pyproject))
        if isinstance(name, str):
            candidates.append((name, str(pyproject.relative_to(root))))
    every = list(map(npm_packages.PackageJson, npm))  # a private one names it when none else
    public = [m for m in every if not m.data.get("private")] or every
    named = [(m.name, str(m.path.relative_to(root))) for m in public]
    candidates += sorted((n for n in named if n[0]), key=lambda n: (n[0].startswith("@"), n[1]))
    repository = re.sub(r"\.git$", "", (remote_url or "").rstrip("/").rsplit("/", 1)[-1])
    repository = repository.rsplit(":", 1)[-1]
    for name, where in candidates:
        if name == repository:
            return name, f"{where}, as the repository is named"
    if candidates:
        return candidates[0][0], candidates[0][1]
    if repository:
        return repository, "the remote's repository name"
    return root.name, "the folder's name"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _top_crates(workspace: CargoWorkspace) -> list[str]:
    """Members no other member depends on, those with a binary first: the workspace's face."""
    depended = set()
    for path in workspace.members.values():
        doc = read_toml(path)
        for table in ("dependencies", "build-dependencies"):
            deps = doc.get(table, {})
            depended |= set(deps) if isinstance(deps, dict) else set()
    hidden = unpublished(workspace)  # an xtask never names the project
    if len(hidden) == len(workspace.members):
        hidden = set()
    tops = [(n, p) for n, p in workspace.members.items() if n not in depended and n not in hidden]

    def has_binary(path: Path) -> bool:
        return (path.parent / "src" / "main.rs").is_file() or "bin" in read_toml(path)

    return [n for n, p in sorted(tops, key=lambda t: (not has_binary(t[1]), len(t[0]), t[0]))]


# -- workflows ---------------------------------------------------------------------------------

_ON = re.compile(r"^(?:on|\"on\"|'on'|true):(.*)$")


def workflows(root: Path) -> list[Workflow]:
    """The project's workflows that run when a tag is pushed or a GitHub release is made."""
    folder = root / ".github" / "workflows"
    found = []
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        trigger = _trigger(path.read_text(encoding="utf-8", errors="replace"))
        if trigger:
            found.append(Workflow(str(path.relative_to(root)), trigger))
    return found


def _trigger(text: str) -> str | None:
    """Reads the `on:` section line by line (block or flow style): tags, release, bare push."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _ON.match(line)), None)
    if start is None:
        return None
    section = [_ON.match(lines[start]).group(1)]  # type: ignore[union-attr]
    for line in lines[start + 1 :]:
        if line.strip() and not line[0].isspace() and not line.lstrip().startswith("#"):
            break
        section.append(line.split(" #", 1)[0])
    on = "\n".join(section)
    tags = _tag_patterns(on)
    excluded = bool(tags) and all(t.startswith("!") for t in tags or [])  # tags: ["!**"]
    if tags is not None and not excluded:
        return "a pushed tag " + ", ".join(tags) if tags else "a pushed tag"
    if re.search(r"\brelease\b", on):
        return "a GitHub release"
    # A push without a branch or path filter runs for tags too; the jobs then ask for them.
    pushes = re.search(r"\bpush\b(?!:\s*\n\s+(branches|paths)\b)", on)
    if tags is None and pushes and "refs/tags" in text:
        return "every push; its jobs check for refs/tags"
    return None


def _tag_patterns(on: str) -> list[str] | None:
    """The patterns under `tags:` (`tags: [v*]` or a block list), None without a tag filter."""
    match = re.search(r"\btags:[ \t]*(.*)", on)
    if match is None:
        return None
    items = re.findall(r"[^\[\],{}\s]+", match.group(1))
    if not items:
        for line in on[match.end() :].splitlines()[1:]:
            item = re.match(r"^\s*-\s*(.+)$", line)
            if item is None:
                break
            items.append(item.group(1))
    return [item.strip().strip("\"'") for item in items]

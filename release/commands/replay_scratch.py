"""A release replayed in a scratch worktree: `git worktree add --detach` in a temporary folder
at the commit before the release, the prepare steps (changelog, bump) run there, and what they
changed read back. The user's work tree, index, branches and tags stay as they were; the
worktree is removed afterwards."""

from __future__ import annotations

import dataclasses
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from release.base.errors import ReleaseError
from release.base.versioning import Version
from release.core.engine.context import ReleaseContext
from release.core.engine.step import Step
from release.core.plan.replay_diff import History, Placement, placement
from release.core.project import release_headings
from release.core.settings import config as config_module
from release.steps.changelog.step import ChangelogStep
from release.steps.version.bump import BumpStep
from release.tools.git import Git
from release.tools.git_scratch import scratch_worktree as scratch_worktree
from release.tools.run import run


def carry_config(user_root: Path, tree: Path, cfg: config_module.Config) -> set[str]:
    """The config being judged (and its git-cliff config) copied into the scratch tree, which
    holds the project's files as they were; the paths copied, not to count as changed. The
    manifests it names that did not exist yet are left out: nothing was there to bump."""
    copied = set()
    names = [cfg.changelog.config]
    if cfg.source is not None and cfg.source.name != "pyproject.toml":
        names.append(str(cfg.source.relative_to(user_root)))
    for name in names:
        source = user_root / name
        if source.is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, tree / name)
            copied.add(name)
    if cfg.source is not None and cfg.source.name != "pyproject.toml":
        _drop_missing(tree / cfg.source.relative_to(user_root), tree)
    return copied


def config_then(cfg: config_module.Config, tree: Path) -> config_module.Config:
    """`cfg` with the manifests that exist in `tree` only."""
    m = cfg.manifests

    def there(path: str) -> bool:
        return (tree / path).is_file()

    def kept(paths: list[str] | None) -> list[str] | None:
        return None if paths is None else [p for p in paths if there(p)]

    manifests = dataclasses.replace(
        m,
        python=kept(m.python),
        npm=kept(m.npm),
        version_files=kept(m.version_files),
        extra=[e for e in m.extra if there(e.path)],
    )
    return dataclasses.replace(cfg, manifests=manifests)


def _drop_missing(config_file: Path, tree: Path) -> None:
    document = tomlkit.parse(config_file.read_text(encoding="utf-8"))
    manifests = document.get("manifests")
    if not isinstance(manifests, dict):
        return
    for key in ("python", "npm", "version_files"):
        paths = manifests.get(key)
        if isinstance(paths, list):
            manifests[key] = [p for p in paths if (tree / str(p)).is_file()]
    extra = manifests.get("extra")
    if isinstance(extra, list):
        manifests["extra"] = [e for e in extra if (tree / str(e.get("path", ""))).is_file()]
    config_file.write_text(tomlkit.dumps(document), encoding="utf-8")


@dataclass(frozen=True)
class Found:
    """A release: its commit and the tags on it."""

    commit: str
    tags: dict[str, tuple[str, Version]]  # package ("" in lockstep) -> (tag, version)
    prereleases: tuple[str, ...] = ()  # versions of other packages' prereleases tagged with it


@dataclass
class Prepared:
    files: set[str] = field(default_factory=set)
    changelogs: dict[str, Placement | None] = field(default_factory=dict)


def run_prepare(ctx: ReleaseContext, steps: list[Step]) -> dict[str, str]:
    """Each step that applies, run; one that fails (git-cliff's config runs a program that is
    not installed) leaves the others to run. The failed steps' messages, by step."""
    failed = {}
    for step in steps:
        try:
            if step.applies(ctx):
                step.run(ctx)
        except ReleaseError as exc:
            failed[step.name] = exc.message
    return failed


def lockstep_steps() -> list[Step]:
    return [ChangelogStep(), BumpStep()]


def changed(tree: Path, ignore: set[str], changelog_names: set[str]) -> Prepared:
    """What the prepare steps changed in the scratch tree, and where each changelog's new
    section went."""
    git = Git(tree)
    edited = git.out("diff", "--name-only", "--no-renames", "HEAD")
    new = git.out("ls-files", "--others", "--exclude-standard")
    files = {line for line in [*edited.splitlines(), *new.splitlines()] if line} - ignore
    prepared = Prepared(files)
    for path in sorted(files):
        if not _is_changelog(path, changelog_names):
            continue
        if git.out("ls-files", "--", path):
            old = _text(git, f"HEAD:{path}")
            prepared.changelogs[path] = placement(git.out("diff", "-U0", "--", path), old)
        else:  # a new file: its section is all of it
            prepared.changelogs[path] = placement(_as_new_file(tree / path))
    return prepared


def theirs(git: Git, commit: str, changelog_names: set[str], versions: set[str]) -> Prepared:
    """What the project's own release commit changed (against its first parent); its
    changelogs by name, or by a new heading that names the release (docs/history/x.md)."""
    out = git.out("diff", "--name-only", "--no-renames", f"{commit}^1", commit)
    prepared = Prepared({line for line in out.splitlines() if line})
    logs = {p for p in prepared.files if _is_changelog(p, changelog_names)}
    logs |= section_files(git, commit, {p for p in prepared.files if _is_text(p)}, versions)
    for path in sorted(logs):
        diff = git.out("diff", "-U0", f"{commit}^1", commit, "--", path)
        prepared.changelogs[path] = placement(diff, _text(git, f"{commit}^1:{path}"))
    return prepared


def section_files(git: Git, commit: str, paths: set[str], versions: set[str]) -> set[str]:
    """The paths to which `commit` added a heading that names one of `versions` (never a
    README: release.core.project.release_headings); those named like a changelog when there
    are any."""
    if not paths:
        return set()
    paths = {p for p in paths if not release_headings.front_page(p)}
    if not paths:
        return set()
    diff = git.out("diff", "-U0", "--no-renames", f"{commit}^1", commit, "--", *sorted(paths))
    found = set()
    for path, _, added in _hunks(diff):
        if not any(v in line for line in added for v in versions):
            continue  # the file is read only when an added line names the release
        if release_headings.adds_release_heading(_text(git, f"{commit}:{path}"), added, versions):
            found.add(path)
    named = {p for p in found if _is_changelog(p, set())}
    return named or found


def _text(git: Git, spec: str) -> str:
    """A file's text at a revision; empty when it did not exist or is not text."""
    try:
        proc = run(["git", "show", spec], cwd=git.root, check=False)
    except UnicodeDecodeError:
        return ""
    return proc.stdout if proc.returncode == 0 else ""


def _is_text(path: str) -> bool:
    return path.lower().endswith((".md", ".rst", ".markdown", ".txt"))


def carries_version(git: Git, commit: str, paths: set[str], versions: set[str]) -> set[str]:
    """The paths in which `commit` bumped a version in place to one of `versions`: a line
    that named another version names this one now (`"version": "1.2.3"`). A version written
    into new text (`<sup>master</sup>` -> `<sup>1.58.0</sup>`) is not a bump."""
    if not paths or not versions:
        return set()
    diff = git.out("diff", "-U0", "--no-renames", f"{commit}^1", commit, "--", *sorted(paths))
    found = set()
    for path, removed, added in _hunks(diff):
        if any(_bumped(line, removed, versions) for line in added):
            found.add(path)
    return found


def _hunks(diff: str) -> list[tuple[str, list[str], list[str]]]:
    """(path, removed lines, added lines) of each file of a `git diff -U0`."""
    files: list[tuple[str, list[str], list[str]]] = []
    for line in diff.splitlines():
        if line.startswith("+++ "):
            files.append((line[6:] if line.startswith("+++ b/") else line[4:], [], []))
        elif files and line.startswith("-") and not line.startswith("--- "):
            files[-1][1].append(line[1:])
        elif files and line.startswith("+"):
            files[-1][2].append(line[1:])
    return files


_ANY_VERSION = r"v?[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+\-]*"


def _bumped(line: str, removed: list[str], versions: set[str]) -> bool:
    for version in versions:
        if version not in line:
            continue
        pattern = _ANY_VERSION.join(re.escape(part) for part in line.split(version))
        # `2.10.0-rc.0` -> `2.10.0` is a bump: the old line must not name the version itself
        named = re.compile(rf"(?<![0-9.]){re.escape(version)}(?![0-9A-Za-z.+-])")
        if any(re.fullmatch(pattern, old) and not named.search(old) for old in removed):
            return True
    return False


def has_parent(git: Git, commit: str) -> bool:
    args = ["git", "rev-parse", "--verify", "-q", f"{commit}^1"]
    return run(args, cwd=git.root, check=False).returncode == 0


def history_of(ctx: ReleaseContext) -> History:
    commits = [c for c in ctx.commits if not c.merge]
    rules = ctx.config.version.bump
    return History(
        previous=ctx.previous.version if ctx.previous else None,
        conventional=sum(1 for c in commits if c.conventional),
        other=sum(1 for c in commits if not c.conventional),
        bumping=sum(1 for c in commits if c.type and rules.get(c.type, "none") != "none"),
        features=sum(1 for c in commits if c.type == "feat"),
    )


def version_text(version: Version | None) -> str | None:
    return str(version) if version else None


def _is_changelog(path: str, names: set[str]) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return path in names or name.startswith(("changelog", "changes", "history", "news"))


def _as_new_file(path: Path) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return f"@@ -0,0 +1,{len(lines)} @@\n" + "".join(f"+{line}\n" for line in lines)

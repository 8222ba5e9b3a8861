"""ReleaseContext: everything a release knows, shared by the steps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from release.base.errors import ReleaseError
from release.base.versioning import Bump, Release, TagFormat, Version
from release.core.plan.lookups import Lookups
from release.core.project.layout import Layout
from release.core.settings.config import Config
from release.tools.cliff import Commit
from release.tools.git import Git

if TYPE_CHECKING:  # `release next` never needs artifacts or a journal: not imported at start-up
    from release.core.engine.artifacts import ArtifactManifest
    from release.core.engine.journal import Journal
    from release.core.engine.landing import Landings
    from release.core.project.manifests import Manifest
    from release.core.project.packages import Package

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """Something that would stop (error) or deserves a look (warning), with its fix."""

    step: str
    message: str
    hint: str | None = None
    severity: Severity = "error"
    where: str | None = None

    @classmethod
    def from_error(cls, step: str, exc: ReleaseError, *, hint: str | None = None) -> Problem:
        """The error a check ran into, as that step's problem (its own hint unless given)."""
        return cls(step, exc.message, hint or exc.hint, where=exc.where)

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "where": self.where,
        }


@dataclass
class Changes:
    """What a cut changed here and out there: what a failure restores, or why it cannot."""

    start_head: str | None = None  # HEAD when the cut started: a failure resets to it
    changed_files: list[str] = field(default_factory=list)  # the release commit's files
    created_files: list[str] = field(default_factory=list)  # new files a restore deletes
    written: dict[str, str] = field(default_factory=dict)  # path -> sha256 the cut left
    tagged: str | None = None  # the tag this run made
    tags: list[str] = field(default_factory=list)  # independent mode: each package's tag made
    public: bool = False  # this process put something out (the journal says for all of them)
    pushed: bool = False


@dataclass(frozen=True)
class BinaryJob:
    """One binary built for one target and packed with its files."""

    package: str
    binary: str
    target: str
    include: tuple[str, ...]

    def archive_name(self, tag: str) -> str:
        suffix = ".zip" if "windows" in self.target else ".tar.gz"
        return f"{self.binary}-{tag}-{self.target}{suffix}"


@dataclass
class Memo:
    """What steps worked out once and read again (verify, then run)."""

    changelog_section: str | None = None
    manifests: list[Manifest] | None = None  # forgotten once the bump rewrote them
    binary_jobs: list[BinaryJob] | None = None


@dataclass
class ReleaseContext:
    root: Path
    config: Config
    layout: Layout
    git: Git
    tag_format: TagFormat
    previous: Release | None  # the highest release tag reachable from HEAD
    base: Release | None  # the highest final release: bumps apply to it
    commits: list[Commit]
    version: Version | None  # None: nothing to release
    bump: Bump
    reason: str
    explicit: bool = False
    warnings: list[Problem] = field(default_factory=list)
    # The cut's journal: publishers record each item they publish (None outside a cut).
    journal: Journal | None = None
    on_start: Callable[[str], None] | None = None  # told the name of each step that starts
    before_public: Callable[[], None] | None = None  # a cut's last look before going public
    changes: Changes = field(default_factory=Changes)
    _landed: Landings | None = field(default=None, repr=False)
    memo: Memo = field(default_factory=Memo)
    # Everything the build stage made; publish steps read it and never rebuild.
    artifacts: ArtifactManifest | None = None
    targets: list[str] = field(default_factory=list)  # `release build --target`, else config
    # `release verify --targets-on-runners` (a CI plan job): each target's toolchain is checked
    # by `release build --target` on the runner that builds it, not on this machine.
    targets_on_runners: bool = False
    # The release commit, when HEAD has moved on past it (a resume after the branch that moved
    # was merged): the steps look at it, not at HEAD. None: HEAD is the release commit.
    release_commit: str | None = None
    # The branch already carries the release (a merged release pull request: core/plan/prepared.py):
    # the cut makes no commit, and only its tag needs pushing.
    prepared: bool = False
    # Independent mode: the one package this context releases (its tag, version, folder);
    # steps scope to it. None: the whole repository in lockstep.
    package: Package | None = None
    # Independent mode: the packages released in the same cut (a crate's sibling among them
    # reaches the registry first; one not among them must be there already).
    released_with: frozenset[str] = frozenset()
    # What the command looked up once (layout, packages, cargo metadata), shared by every
    # context of the command.
    lookups: Lookups = field(default_factory=Lookups, repr=False)
    # A group's follower (`[[version.groups]] followers`): released under the group's tag.
    group_tag: str | None = None
    # The user's work tree, when `root` is a scratch tree of the release commit that a step
    # reading the sources runs in (core/engine/sources.py): dist/ and target/ stay there.
    home: Path | None = None

    @property
    def landed(self) -> Landings:
        """Where the publishers found the release. Made on first use: only publishers and
        announcers read it, and `release next` should not pay for its classes."""
        if self._landed is None:
            from release.core.engine.landing import Landings

            self._landed = Landings()
        return self._landed

    @property
    def dist(self) -> Path:
        """The artifact folder. Each package of an independent cut has its own (its own
        artifacts.json and SHA256SUMS): one cut builds several of them."""
        dist = self.kept(self.root / self.config.build.dist)
        return dist if self.package is None else dist / self.package.name

    def manifest(self) -> ArtifactManifest:
        """The artifact manifest of this release: the one in dist/ when it was built from this
        very commit (a resumed or repeated build), else a new one."""
        if self.artifacts is None:
            from release.core.engine.artifacts import MANIFEST, ArtifactManifest

            assert self.version is not None
            head = self.head()
            if (self.dist / MANIFEST).is_file():
                found = ArtifactManifest.load(self.dist)
                if (found.version, found.commit) == (str(self.version), head):
                    self.artifacts = found
                    return found
            self.artifacts = ArtifactManifest(str(self.version), self.tag, head)
            self.artifacts.root = self.dist
        return self.artifacts

    @property
    def tag(self) -> str:
        if self.version is None:
            raise RuntimeError("no version to tag")
        return self.group_tag or self.tag_format.format(self.version)

    def head(self) -> str:
        """The release's commit: HEAD, unless HEAD has moved on past it."""
        return self.release_commit or self.git.head()

    @property
    def tip(self) -> str:
        """What a range of this release's commits ends at."""
        return self.release_commit or "HEAD"

    @property
    def rev_range(self) -> str | None:
        return f"{self.base.tag}..{self.tip}" if self.base else None

    def groups(self) -> dict[str, int]:
        """Commits per conventional type (`other` for non-conventional ones)."""
        counts = Counter(c.type or "other" for c in self.commits)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def record(self, step: str, event: str, **detail: Any) -> None:
        """A journal line, when a cut keeps a journal (a step run alone, as in verify, has none)."""
        if self.journal is not None:
            self.journal.record(step, event, **detail)

    def kept(self, path: Path) -> Path:
        """Where a folder under root that outlives a run (dist/, target/) is kept: the same
        place in the user's work tree when root is a scratch tree of the release commit."""
        if self.home is None or not path.is_relative_to(self.root):
            return path
        return self.home / path.relative_to(self.root)

    def relpath(self, path: Path) -> str:
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

"""A replayed release compared with what the project did, and every difference classified.

`non-conventional`: the project released commits whose messages say nothing a conventional
planner can read. `policy`: the project chose otherwise on purpose (0.x bump rules, a release
of changes that call for none, a version picked by hand, files edited beside the bump).
`defect`: release-toolkit would have done it wrong; these are the ones to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from release.base.versioning import Version
from release.core.project.changelog_file import headings

Kind = Literal["non-conventional", "policy", "defect"]
ASPECTS = ("version", "tag", "files", "changelog")
LOCK_FILES = ("Cargo.lock", "package-lock.json", "pnpm-lock.yaml", "yarn.lock", "uv.lock")
# Any package manager's lock: `poetry.lock`, `pdm.lock`, `Gemfile.lock`, `bun.lock(b)`,
# `npm-shrinkwrap.json`, `go.sum`... A version string in one is a dependency's as often as the
# project's: never a file to learn a version line from.
_LOCK_NAME = re.compile(r"(?i)(\.lock|\.lockb|-lock\.(json|ya?ml)|^npm-shrinkwrap\.json|^go\.sum)$")


def is_lock_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name in LOCK_FILES or bool(_LOCK_NAME.search(name))


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Difference:
    aspect: str  # one of ASPECTS
    kind: Kind
    ours: str
    theirs: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return {
            "aspect": self.aspect,
            "kind": self.kind,
            "ours": self.ours,
            "theirs": self.theirs,
            "why": self.why,
        }


@dataclass(frozen=True)
class Placement:
    """Where a changelog's new section went: the line of the old file it starts at, whether
    existing lines were rewritten, and the level of its first heading (`##`)."""

    line: int
    rewrote: bool
    level: str | None

    def __str__(self) -> str:
        return f"line {self.line}" + (f", {self.level}" if self.level else "")


def placement(diff: str, old: str = "") -> Placement | None:
    """The first hunk of a `git diff -U0` of one changelog; with the `old` text, the line is
    the first non-blank one at or after the insertion (blank lines around it say nothing)."""
    lines = diff.splitlines()
    for index, line in enumerate(lines):
        hunk = _HUNK.match(line)
        if hunk is None:
            continue
        start, removed = int(hunk.group(1)), int(hunk.group(2) or "1")
        added = [x[1:] for x in lines[index + 1 :] if x.startswith("+") and not x.startswith("++")]
        found = headings("\n".join(added) + "\n")
        level = found[0].level if found else None
        line_no = start if removed else start + 1
        old_lines = old.splitlines()
        while not removed and 0 < line_no <= len(old_lines) and not old_lines[line_no - 1].strip():
            line_no += 1
        return Placement(line_no, removed > 0, level)
    return None


@dataclass
class Replayed:
    """One release: what the project did (theirs) and what release-toolkit plans (ours)."""

    commit: str
    theirs_tags: dict[str, str]  # package ("" in lockstep) -> tag
    theirs_versions: dict[str, str]
    ours_versions: dict[str, str | None] = field(default_factory=dict)
    ours_tags: dict[str, str] = field(default_factory=dict)  # at the project's version
    theirs_files: set[str] = field(default_factory=set)
    ours_files: set[str] = field(default_factory=set)
    theirs_changelog: dict[str, Placement | None] = field(default_factory=dict)
    ours_changelog: dict[str, Placement | None] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    error: str | None = None
    # Independent: the manifests of the packages this release does not carry, whose
    # requirements on the released ones the project may raise.
    dependents: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)  # prepare step -> why it failed

    def agrees(self, aspect: str) -> bool:
        """No difference in `aspect`; the version is known before a failure of the prepare
        steps, the rest is not."""
        known = self.error is None or (aspect == "version" and bool(self.ours_versions))
        unknown = {"changelog": {"changelog"}, "bump": {"files"}}
        if any(aspect in unknown.get(step, set()) for step in self.failed):
            return False  # what the failed step would have changed is not known
        return known and not any(d.aspect == aspect for d in self.differences)

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "tags": self.theirs_tags,
            "versions": {"theirs": self.theirs_versions, "ours": self.ours_versions},
            "our_tags": self.ours_tags,
            "files": {"theirs": sorted(self.theirs_files), "ours": sorted(self.ours_files)},
            "changelog": {
                "theirs": {p: str(x) if x else None for p, x in self.theirs_changelog.items()},
                "ours": {p: str(x) if x else None for p, x in self.ours_changelog.items()},
            },
            "agrees": {a: self.agrees(a) for a in ASPECTS},
            "differences": [d.as_dict() for d in self.differences],
            "failed": self.failed,
            "error": self.error,
        }


@dataclass(frozen=True)
class History:
    """The commits a release carried, as the planner read them."""

    previous: Version | None
    conventional: int
    other: int  # not conventional (merges left out)
    bumping: int  # conventional commits of a type that calls for a release
    features: int  # feat commits


def version_difference(
    name: str, ours: Version | None, theirs: Version, history: History
) -> Difference | None:
    """Why our computed version is not theirs, classified."""
    if ours == theirs:
        return None
    label = f"{name}: " if name else ""
    shown = str(ours) if ours else "no release"
    previous = history.previous
    if previous is None:
        why = "the first release: its version is the project's choice ([version] initial)"
        return Difference("version", "policy", shown, str(theirs), label + why)
    steps = {previous.bump_major(), previous.bump_minor(), previous.bump_patch()}
    final = theirs.finalize_version()
    if theirs.prerelease or final not in steps:
        why = f"{theirs} is not one bump from {previous}: a version chosen by hand"
        return Difference("version", "policy", shown, str(theirs), label + why)
    if history.other and (ours is None or ours < theirs):
        why = f"{history.other} commit(s) since {previous} are not conventional"
        return Difference("version", "non-conventional", shown, str(theirs), label + why)
    if ours is None:
        why = (
            "no commit since the last release calls for one (chore, docs, ci...)"
            if history.conventional
            else "nothing committed since the last release"
        )
        why = label + "released anyway: " + why
        return Difference("version", "policy", shown, str(theirs), why)
    if previous.major == 0:
        why = f"0.x: the project bumps {previous} to {theirs}, the commits' rules to {ours}"
        return Difference("version", "policy", shown, str(theirs), label + why)
    if ours > theirs:
        why = f"the commits since {previous} call for {ours}: the project bumped less"
        return Difference("version", "policy", shown, str(theirs), label + why)
    if history.conventional and not history.other:
        why = f"the commits since {previous} call for {ours}: the project bumped more"
        return Difference("version", "policy", shown, str(theirs), label + why)
    why = f"the commits since {previous} call for {ours}"
    return Difference("version", "defect", shown, str(theirs), label + why)


def file_differences(
    ours: set[str],
    theirs: set[str],
    carries_version: set[str],
    changelogs: set[str],
    dependents: frozenset[str] = frozenset(),
    retired: frozenset[str] = frozenset(),
    prereleased: frozenset[str] = frozenset(),
    by_hand: frozenset[str] = frozenset(),
) -> list[Difference]:
    """`carries_version`: the files whose text at the release names its version and did not
    before; `changelogs`: changelog files, ours or theirs; `retired`: files that carry no
    version of that shape today; `prereleased`: files of the prereleases tagged with it;
    `by_hand`: changelogs the release commit edited without adding a release heading (the
    section was written before)."""
    found = []
    for path in sorted(theirs - ours):
        if path in carries_version and path in retired:
            why = "bumped by hand then; the project writes no version there any more"
            found.append(Difference("files", "policy", "-", path, why))
        elif path in prereleased:
            why = (
                "part of another package's release in this commit (a prerelease, or a version "
                "without a tag), which the replay does not plan"
            )
            found.append(Difference("files", "policy", "-", path, why))
        elif path in carries_version and path in dependents:
            why = (
                "a package not released raises its requirement to the new version; "
                "release-toolkit raises one only when it leaves the new version out"
            )
            found.append(Difference("files", "policy", "-", path, why))
        elif is_lock_file(path) and path.rsplit("/", 1)[-1] not in LOCK_FILES:
            why = (
                "a lock file that states no version of the project: the release commit moved "
                "a dependency (poetry.lock's poetry-core, released alongside)"
            )
            found.append(Difference("files", "policy", "-", path, why))
        elif path in carries_version or path.rsplit("/", 1)[-1] in LOCK_FILES:
            why = "it carries the released version: a manifest release-toolkit does not bump"
            found.append(Difference("files", "defect", "-", path, why))
        elif path in by_hand:
            why = "a changelog written by hand: the release commit edits its section (a date)"
            found.append(Difference("files", "policy", "-", path, why))
        elif path in changelogs:
            why = "the project's changelog, which release-toolkit did not write"
            found.append(Difference("files", "defect", "-", path, why))
        else:
            why = "edited in the release commit, but it does not carry the version"
            found.append(Difference("files", "policy", "-", path, why))
    for path in sorted(ours - theirs):
        if path in changelogs and not (theirs & changelogs):
            why = "the project's release commits write no changelog"
            found.append(Difference("files", "policy", path, "-", why))
        else:
            why = "release-toolkit changes it; the project's release commit did not"
            found.append(Difference("files", "defect", path, "-", why))
    return found


def changelog_difference(path: str, ours: Placement, theirs: Placement) -> Difference | None:
    if ours.line == theirs.line and ours.level == theirs.level:
        return None
    if theirs.level is None:
        why = f"{path}: the release commit adds no release heading (the section came before)"
        return Difference("changelog", "policy", str(ours), str(theirs), why)
    if theirs.rewrote:
        why = f"{path}: the project rewrote lines already there (an Unreleased section, by hand)"
        return Difference("changelog", "policy", str(ours), str(theirs), why)
    what = "heading level" if ours.line == theirs.line else "position"
    return Difference("changelog", "defect", str(ours), str(theirs), f"{path}: {what} differs")

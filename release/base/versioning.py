"""Semver rules: conventional commits -> bump level, prereleases, tag format."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

import semver

from release.base.errors import ConfigError, VersionError

Version = semver.Version


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @classmethod
    def named(cls, name: str) -> Bump:
        return cls[name.upper()]


@dataclass(frozen=True)
class TagFormat:
    """A tag template such as `v{version}` or `pkg@{version}`."""

    template: str

    def __post_init__(self) -> None:
        if self.template.count("{version}") != 1:
            raise ConfigError(
                f"tag format {self.template!r} must contain {{version}} exactly once",
                hint='use a template such as "v{version}" or "mypkg-{version}"',
            )

    @property
    def glob(self) -> str:
        """A glob for `git for-each-ref` that preselects candidate tags."""
        return self.template.replace("{version}", "*")

    @property
    def regex(self) -> str:
        """A regex matching exactly this format's tags (used for git-cliff's tag_pattern)."""
        prefix, _, suffix = self.template.partition("{version}")
        return f"^{re.escape(prefix)}[0-9]+\\.[0-9]+\\.[0-9]+.*{re.escape(suffix)}$"

    def format(self, version: Version) -> str:
        return self.template.replace("{version}", str(version))

    def parse(self, tag: str) -> Version | None:
        prefix, _, suffix = self.template.partition("{version}")
        if not (tag.startswith(prefix) and tag.endswith(suffix)):
            return None
        return _parsed(tag[len(prefix) : len(tag) - len(suffix) if suffix else None])


@functools.lru_cache(maxsize=4096)
def _parsed(core: str) -> Version | None:
    """Each tag's version once: finding the last release reads hundreds of tags two or three
    times (semver's Version is immutable: sharing one is safe)."""
    try:
        return Version.parse(core)
    except ValueError:
        return None


@dataclass(frozen=True)
class Release:
    tag: str
    version: Version


def last_release(tags: Iterable[str], fmt: TagFormat) -> Release | None:
    """The highest semver among `tags` (not the newest by date)."""
    best: Release | None = None
    for tag in tags:
        version = fmt.parse(tag)
        if version is not None and (best is None or version > best.version):
            best = Release(tag, version)
    return best


def last_final_release(tags: Iterable[str], fmt: TagFormat) -> Release | None:
    """The highest release without a prerelease part: the base that bumps apply to."""
    finals = [t for t in tags if (v := fmt.parse(t)) is not None and not v.prerelease]
    return last_release(finals, fmt)


@dataclass(frozen=True)
class BumpRules:
    """Which commit types bump what; configurable in [version]."""

    types: Mapping[str, Bump]
    breaking: Bump = Bump.MAJOR
    breaking_while_zero: Bump = Bump.MINOR

    def level(self, commit_type: str | None, breaking: bool) -> Bump:
        if breaking:
            return self.breaking
        if commit_type is None:
            return Bump.NONE
        return self.types.get(commit_type, Bump.NONE)


def resulting_bump(base: Version, level: Bump, rules: BumpRules) -> tuple[Bump, str]:
    """The bump `level` makes of `base`, and why it differs when it does: reasons are worded
    by the version that results (a `chore!` on 0.5.3 makes 0.6.0, a minor bump)."""
    if level is Bump.MAJOR and base.major == 0 and rules.breaking_while_zero is not Bump.MAJOR:
        return rules.breaking_while_zero, " (breaking change on 0.x)"
    return level, ""


def apply_bump(base: Version, level: Bump, rules: BumpRules) -> Version:
    level, _ = resulting_bump(base, level, rules)  # 0.x: a breaking change is not yet a 1.0
    if level is Bump.MAJOR:
        return base.bump_major()
    if level is Bump.MINOR:
        return base.bump_minor()
    if level is Bump.PATCH:
        return base.bump_patch()
    return base


def with_prerelease(
    target: Version, label: str, previous: Release | None, fmt: TagFormat
) -> Version:
    """`1.2.0` + `rc` -> `1.2.0-rc.1`, or `-rc.N+1` after an existing `1.2.0-rc.N`."""
    check_label(label)
    number = 1
    if previous is not None:
        prev = previous.version
        same_core = prev.finalize_version() == target.finalize_version()
        if same_core and prev.prerelease:
            name, _, num = prev.prerelease.rpartition(".")
            if name == label and num.isdigit():
                number = int(num) + 1
    return target.replace(prerelease=f"{label}.{number}")


def check_label(label: str) -> None:
    if not re.fullmatch(r"[0-9A-Za-z-]+", label) or label.isdigit():
        raise VersionError(
            f"prerelease label {label!r} is not valid",
            hint="use letters, digits and hyphens, e.g. --pre rc, --pre beta",
        )


def parse_explicit(text: str) -> Version:
    """A version given on the command line: strict semver, an optional leading `v`."""
    core = text[1:] if text.startswith("v") else text
    try:
        return Version.parse(core)
    except (ValueError, TypeError):
        raise VersionError(
            f"version {text!r} is not valid semver",
            hint="give MAJOR.MINOR.PATCH with optional -PRERELEASE, e.g. 1.2.0 or 1.2.0-rc.1",
        ) from None


def check_greater(version: Version, last: Release | None) -> None:
    if last is not None and version <= last.version:
        raise VersionError(
            f"version {version} is not greater than the last release {last.version} ({last.tag})",
            hint=f"choose a version above {last.version}, or run `release next` to compute one",
        )

"""[version]: how versions are computed and tagged, for the whole repository (lockstep) or for
each package (independent). Apart from the other sections: it is the one `release next` reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from release.base.versioning import Bump, BumpRules

BumpName = Literal["major", "minor", "patch", "none"]
_STRICT = {"extra": "forbid", "strict": True}

# Files that release nothing by themselves in independent mode: the lock files and CI set-up
# every package shares (release-plz and knope ignore them too).
PACKAGE_TAG_STYLES = (
    "{name}-v{version}",
    "{name}-{version}",
    "{name}@{version}",
    "{name}/v{version}",
    "{name}_v{version}",  # alacritty_terminal_v0.26.0
)
_SHARED_PATHS = [".github/*", "Cargo.lock", "*/Cargo.lock", "package-lock.json", "uv.lock"]


# What a tag name may hold: no shell character, no space, nothing git or a URL would mangle.
_TAG_CHARACTERS = re.compile(r"^[A-Za-z0-9._+@/-]*$")


def _default_bumps() -> dict[str, BumpName]:
    return {"feat": "minor", "fix": "patch", "perf": "patch"}


@dataclass
class VersionGroup:
    """Packages released together with one version (a binary crate and the wheel that ships it;
    a workspace whose crates move together; a product of a monorepo)."""

    __pydantic_config__ = _STRICT

    packages: list[str]
    # One tag for the whole group in this format (`v{version}`, `oxlint_v{version}`, the
    # leader's `@scope/tool@{version}`) instead of a tag per member. Unset: a tag per member.
    tag_format: str | None = None
    # Released whenever the group is, each at its own version bumped by `[version]
    # dependents` (uv's crates at 0.0.N), under the group's tag: they have none of their own.
    followers: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.packages) < 2:
            raise ValueError("groups: a group names at least two packages")
        named = [*self.packages, *self.followers]
        if len(set(named)) != len(named):
            raise ValueError("groups: a group names a package twice")
        if self.tag_format is not None:
            _check_template("groups.tag_format", self.tag_format)
        elif self.followers:
            raise ValueError("groups: followers are released under the group's tag_format")


@dataclass
class VersionConfig:
    __pydantic_config__ = _STRICT

    tag_format: str = "v{version}"
    initial: str = "0.1.0"
    bump: dict[str, BumpName] = field(default_factory=_default_bumps)
    breaking: BumpName = "major"
    breaking_while_zero: BumpName = "minor"  # while the version is 0.x
    # "lockstep": one version for every manifest; "independent": each package its own version
    # and tags. Unset: independent when the packages' versions disagree, else lockstep.
    mode: Literal["lockstep", "independent"] | None = None
    # Unset: the style the repository's tags already use, else "{name}-v{version}".
    package_tag_format: str | None = None
    tag_formats: dict[str, str] = field(default_factory=dict)  # package name -> its own format
    groups: list[VersionGroup] = field(default_factory=list)
    # Packages the project does not release (publishable test crates): no version of their own,
    # as if `publish = false`.
    exclude: list[str] = field(default_factory=list)
    # The bump a package gets when a dependency it requires is released out of its range.
    dependents: BumpName = "patch"
    shared_paths: list[str] = field(default_factory=lambda: list(_SHARED_PATHS))

    def __post_init__(self) -> None:
        if self.tag_format.count("{version}") != 1:
            raise ValueError('tag_format: must contain "{version}" exactly once, e.g. "v{version}"')
        for key, template in [("package_tag_format", self.package_tag_format or "{version}")] + [
            (f"tag_formats.{name}", fmt) for name, fmt in self.tag_formats.items()
        ]:
            if template.count("{version}") != 1:
                raise ValueError(f'{key}: must contain "{{version}}" exactly once')
        for key, template in [
            ("tag_format", self.tag_format),
            ("package_tag_format", self.package_tag_format or ""),
            *((f"tag_formats.{name}", fmt) for name, fmt in self.tag_formats.items()),
        ]:
            plain = template.replace("{version}", "").replace("{name}", "")
            if not _TAG_CHARACTERS.match(plain):
                raise ValueError(
                    f"{key}: {template!r} may hold only letters, digits and . _ - + @ / "
                    "besides {version} and {name}: a tag's name reaches CI scripts and shells"
                )
        grouped = [name for group in self.groups for name in [*group.packages, *group.followers]]
        twice = sorted({name for name in grouped if grouped.count(name) > 1})
        if twice:
            raise ValueError(f"groups: {twice[0]!r} is in two groups; a package has one version")
        if excluded := sorted(set(grouped) & set(self.exclude)):
            raise ValueError(f"exclude: {excluded[0]!r} is in a group, which releases it")
        if self.package_tag_format is not None and "{name}" not in self.package_tag_format:
            raise ValueError('package_tag_format: must contain "{name}", e.g. "{name}-v{version}"')
        from semver import Version

        if not Version.is_valid(self.initial):
            raise ValueError(f"initial: {self.initial!r} is not a semver version such as 0.1.0")

    def package_format(self, name: str, style: str) -> str:
        """The tag template of one package in independent mode (`style`: the repository's
        when package_tag_format is unset); a group's own format for its members."""
        for group in self.groups:
            if group.tag_format is not None and name in [*group.packages, *group.followers]:
                return group.tag_format
        return self.tag_formats.get(
            name, (self.package_tag_format or style).replace("{name}", name)
        )


def _check_template(key: str, template: str) -> None:
    if template.count("{version}") != 1:
        raise ValueError(f'{key}: must contain "{{version}}" exactly once')
    if not _TAG_CHARACTERS.match(template.replace("{version}", "")):
        raise ValueError(
            f"{key}: {template!r} may hold only letters, digits and . _ - + @ / "
            "besides {version}: a tag's name reaches CI scripts and shells"
        )


def rules_from(cfg: VersionConfig) -> BumpRules:
    """[version]'s bump rules (`bump`, `breaking`, `breaking_while_zero`)."""
    return BumpRules(
        types={t: Bump.named(level) for t, level in cfg.bump.items()},
        breaking=Bump.named(cfg.breaking),
        breaking_while_zero=Bump.named(cfg.breaking_while_zero),
    )

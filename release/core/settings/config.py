"""release-toolkit.toml (or release.toml, [tool.release]): the config's shape, validated by
pydantic, with errors that point at the file and line, and defaults for everything.

The sections are stdlib dataclasses that pydantic validates through a TypeAdapter, so pydantic
is imported only when there is a config file to validate: `release next` on a project without
one starts without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_type_hints

from release.core.settings.announce_config import (
    DiscordConfig,
    EmailConfig,
    MastodonConfig,
    TeamsConfig,
)
from release.core.settings.config_names import package_name
from release.core.settings.config_version import VersionConfig
from release.core.settings.docker_config import DockerConfig
from release.core.settings.messages import check_message
from release.core.settings.npm_config import NpmConfig
from release.core.settings.pr_config import PrConfig

_STRICT = {"extra": "forbid", "strict": True}


def _url(key: str, value: str) -> None:
    if not re.match(r"^https?://[^/\s]+", value):
        raise ValueError(f"{key}: {value!r} is not an http(s) URL")


def _owner_name(key: str, value: str | None) -> None:
    if value is not None and not re.match(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", value):
        raise ValueError(f'{key}: {value!r} is not "owner/name"')


@dataclass
class GitConfig:
    __pydantic_config__ = _STRICT

    branch: str | list[str] = "main"
    remote: str = "origin"
    commit_message: str = "chore(release): {tag}"
    tag_message: str = "Release {tag}"
    signing_key: str | None = None  # a GPG key id: tags are signed when set
    push: bool = True
    # "local": a cut builds and publishes here, then pushes; "tag-trigger": a cut prepares,
    # tags and pushes, and the tag's workflow (release.yml) builds and publishes.
    mode: Literal["local", "tag-trigger"] = "local"

    def __post_init__(self) -> None:
        check_message("commit_message", self.commit_message)
        check_message("tag_message", self.tag_message)

    @property
    def branches(self) -> list[str]:
        return [self.branch] if isinstance(self.branch, str) else list(self.branch)


@dataclass
class ChangelogConfig:
    __pydantic_config__ = _STRICT

    path: str = "CHANGELOG.md"
    config: str = "cliff.toml"  # the built-in default is used when this file is missing
    enabled: bool = True
    # Independent versions: each package's own changelog, in its folder; and whether the
    # repository's `path` also gets every cut's sections (lockstep always writes `path`).
    package_path: str = "CHANGELOG.md"
    root: bool = False
    # Independent: a package whose changelog is elsewhere, from the repository's root (the
    # main crate in crates/tool/ writing the root CHANGELOG.md); `release init` learns it.
    package_paths: dict[str, str] = field(default_factory=dict)
    # Lockstep: more changelogs that get the release's section (lerna's root and package
    # ones); one in a folder tells the commits that touched the folder. `release init` learns it.
    also: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts = Path(self.package_path).parts
        if not self.package_path.strip() or Path(self.package_path).is_absolute() or ".." in parts:
            raise ValueError(
                f"package_path: {self.package_path!r} must be a file inside the package's "
                'folder, e.g. "CHANGELOG.md"'
            )
        for name, path in self.package_paths.items():
            if not path.strip() or Path(path).is_absolute() or ".." in Path(path).parts:
                raise ValueError(
                    f"package_paths.{name}: {path!r} must be a file inside the repository, "
                    'from its root, e.g. "CHANGELOG.md"'
                )


@dataclass
class ExtraFile:
    __pydantic_config__ = _STRICT

    path: str
    search: str = "{version}"  # the line as it appears, {version} in place of the number
    package: str | None = None  # independent: the package whose version it states


@dataclass
class ManifestsConfig:
    __pydantic_config__ = _STRICT

    cargo: str | None = None  # the workspace's root Cargo.toml; "" disables; None detects
    python: list[str] | None = None  # pyproject.toml files; None detects
    version_files: list[str] | None = None  # files with __version__ = "..."; None detects
    npm: list[str] | None = None  # package.json files; None: those stating the same version
    extra: list[ExtraFile] = field(default_factory=list)


@dataclass
class BinaryConfig:
    __pydantic_config__ = _STRICT

    name: str  # the cargo binary (`cargo build --bin NAME`)
    package: str | None = None  # the crate that has it, when the name is ambiguous
    include: list[str] | None = None  # files beside the binary; None: [build] include


@dataclass
class BuildConfig:
    __pydantic_config__ = _STRICT

    dist: str = "dist"  # where artifacts and artifacts.json are written
    binaries: list[BinaryConfig] | None = None  # None: every [[bin]] of the workspace
    targets: list[str] = field(default_factory=list)  # target triples; empty: the host's
    zigbuild: bool = False  # cross-compile through cargo-zigbuild
    # Files in every archive; None: the README and the licence files there are (licences.py).
    include: list[str] | None = None
    python: bool = True  # wheels and sdists of the Python packages
    sbom: bool = True  # CycloneDX SBOMs of the Python package and the Rust workspace
    # Independent versions: the package whose release builds every binary; None: each
    # crate's release builds its own.
    package: str | None = None

    def __post_init__(self) -> None:
        package_name("package", self.package)


@dataclass
class SignConfig:
    __pydantic_config__ = _STRICT

    enabled: bool = True  # sign when a key is available (GPG_PRIVATE_KEY or `key`)
    key: str | None = None  # a key id in the user's own keyring


@dataclass
class CratesConfig:
    __pydantic_config__ = _STRICT

    enabled: bool = True  # publish the workspace's publishable crates
    registry: str | None = None  # a registry name from .cargo/config.toml; None: crates.io
    index: str | None = None  # its index URL when cargo's config does not say
    wait_seconds: float = 300  # how long to wait for the index to serve a crate
    retries: int = 5  # publish attempts of one crate on transient failures (429, 5xx)
    jobs: int = 2  # crates that do not depend on each other published at once

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise ValueError("jobs: must be at least 1")
        if self.retries < 1:
            raise ValueError("retries: must be at least 1 (the first attempt counts)")
        if self.wait_seconds <= 0:
            raise ValueError("wait_seconds: must be more than 0")


@dataclass
class PypiConfig:
    __pydantic_config__ = _STRICT

    enabled: bool = True  # upload the wheels and sdists the build made
    repository_url: str = "https://upload.pypi.org/legacy/"  # where twine uploads
    index_url: str = "https://pypi.org/simple/"  # the simple index asked what is there

    def __post_init__(self) -> None:
        _url("repository_url", self.repository_url)
        _url("index_url", self.index_url)


@dataclass
class GithubConfig:
    __pydantic_config__ = _STRICT

    enabled: bool = True  # a GitHub release when the repository is known
    repository: str | None = None  # "owner/name"; None: from the git remote's URL
    api_url: str = "https://api.github.com"
    web_url: str = "https://github.com"  # for release download links
    write_interval: float = 1.0  # seconds between writes, as GitHub asks (secondary limits)
    # Independent mode: one release for a cut of several packages, on the first package's tag,
    # instead of one per package tag.
    combined: bool = False

    def __post_init__(self) -> None:
        _owner_name("repository", self.repository)
        _url("api_url", self.api_url)
        _url("web_url", self.web_url)
        if self.write_interval < 0:
            raise ValueError("write_interval: must be 0 or more seconds")


@dataclass
class HomebrewConfig:
    __pydantic_config__ = _STRICT

    formula: str | None = None  # the formula in the project; None: the only formulas/*.rb
    tap: str | None = None  # the tap's git URL; None: no Homebrew step
    path: str = "Formula/{name}.rb"  # where the formula lives in the tap
    branch: str = "main"
    pull_request: bool = False  # push a branch and open a pull request instead of pushing
    tap_repository: str | None = None  # "owner/homebrew-tap" for the pull request
    prereleases: bool = False  # update the tap for prereleases too
    url: str | None = None  # download URL template; None: the GitHub release's, or PyPI's
    package: str | None = None  # independent versions: the package whose release it follows

    def __post_init__(self) -> None:
        package_name("package", self.package)
        _owner_name("tap_repository", self.tap_repository)
        if "{name}" not in self.path:
            raise ValueError('path: must contain "{name}", e.g. "Formula/{name}.rb"')


@dataclass
class SlackConfig:
    __pydantic_config__ = _STRICT

    enabled: bool | None = None  # None: when SLACK_WEBHOOK_URL is set; true: warn without it


@dataclass
class ProjectConfig:
    __pydantic_config__ = _STRICT

    name: str | None = None


@dataclass
class Config:
    __pydantic_config__ = _STRICT

    project: ProjectConfig = field(default_factory=ProjectConfig)
    version: VersionConfig = field(default_factory=VersionConfig)
    git: GitConfig = field(default_factory=GitConfig)
    changelog: ChangelogConfig = field(default_factory=ChangelogConfig)
    manifests: ManifestsConfig = field(default_factory=ManifestsConfig)
    build: BuildConfig = field(default_factory=BuildConfig)
    sign: SignConfig = field(default_factory=SignConfig)
    crates: CratesConfig = field(default_factory=CratesConfig)
    pypi: PypiConfig = field(default_factory=PypiConfig)
    npm: NpmConfig = field(default_factory=NpmConfig)
    docker: DockerConfig = field(default_factory=DockerConfig)
    github: GithubConfig = field(default_factory=GithubConfig)
    homebrew: HomebrewConfig = field(default_factory=HomebrewConfig)
    slack: SlackConfig = field(default_factory=SlackConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    teams: TeamsConfig = field(default_factory=TeamsConfig)
    mastodon: MastodonConfig = field(default_factory=MastodonConfig)
    pr: PrConfig = field(default_factory=PrConfig)  # `release pr`: the release pull request
    source: Path | None = field(default=None, compare=False)  # where it was read from


def load(root: Path) -> Config:
    """Our config file, found as config_files says, over cargo-release's defaults when there
    is a cargo-release config; neither means all defaults."""
    from release.core.settings.config_files import find

    found = find(root)
    path = found.path or found.cargo_release  # a borrowed value's error names cargo-release's
    if path is None:
        return Config()
    return _validate(found.data, path, found.table)


def _validate(data: Any, path: Path, table: tuple[str, ...]) -> Config:
    from release.core.settings.config_validation import (
        validate,  # pydantic: only with a config file
    )

    # Each table present is validated by its own section's schema: building pydantic's schema
    # of the whole Config costs a few hundred milliseconds, paid by every `release next`.
    sections = {f.name for f in fields(Config)} - {"source"}
    if not isinstance(data, dict) or any(key not in sections for key in data):
        config = validate(Config, data, path, table)  # says which key is unknown, at its line
    else:
        hints = get_type_hints(Config)
        config = Config(
            **{key: validate(hints[key], value, path, (*table, key)) for key, value in data.items()}
        )
    config.source = path
    return config

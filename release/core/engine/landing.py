"""Where a release landed: what each publisher records in the context when its work is done
(run, or found already done on a resumed release), for the announcers and the summary.

Nothing rebuilds a step to ask where a release went: a destination is named when, and only
when, its publisher found the release there.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """One line of "where": a label and, when there is one, its link."""

    label: str
    url: str = ""


@dataclass
class CratesLanding:
    registry: str | None  # None: crates.io
    crates: list[str]  # every publishable crate of the workspace
    # (crate, published | already-published) as the publish went, in the order it went.
    items: list[tuple[str, str]] = field(default_factory=list)

    def places(self, version: str) -> list[Place]:
        if self.registry is not None:
            return []  # a private registry has no public page to link
        return [
            Place(f"crates.io: {crate}", f"https://crates.io/crates/{crate}/{version}")
            for crate in sorted(self.crates)
        ]


@dataclass
class PypiLanding:
    index_url: str
    projects: list[str]
    # (file, uploaded | already-uploaded)
    items: list[tuple[str, str]] = field(default_factory=list)

    def places(self, version: str) -> list[Place]:
        if "pypi.org" not in self.index_url:
            return []
        return [
            Place(f"PyPI: {project}", f"https://pypi.org/project/{project}/{version}/")
            for project in sorted(set(self.projects))
        ]


@dataclass
class NpmLanding:
    registry: str
    packages: list[str]  # what users install: the main package, or the project's packages
    # (package, published | already-published), in the order it went.
    items: list[tuple[str, str]] = field(default_factory=list)

    def places(self, version: str) -> list[Place]:
        public = "registry.npmjs.org" in self.registry
        return [
            Place(f"npm: {name}@{version}", f"https://www.npmjs.com/package/{name}/v/{version}")
            if public
            else Place(f"npm: {name}@{version} ({self.registry})")
            for name in self.packages
        ]


@dataclass
class DockerLanding:
    image: str
    tags: list[str]  # every tag that points at the release's image
    held: list[str] = field(default_factory=list)  # moving tags left to a newer release
    # The same image on the other registries of [docker] images, each with its own tags.
    others: list[DockerLanding] = field(default_factory=list)

    @classmethod
    def of(cls, landings: list[DockerLanding]) -> DockerLanding:
        """The first registry's landing, carrying the others."""
        first, *rest = landings
        first.others = rest
        return first

    def places(self, version: str) -> list[Place]:
        return [Place(f"Docker: {d.image}:{', '.join(d.tags)}") for d in (self, *self.others)]


@dataclass
class GithubLanding:
    url: str  # the release's page
    draft: bool = True

    def places(self, version: str) -> list[Place]:
        return [Place("GitHub release", self.url)]


@dataclass
class HomebrewLanding:
    formula: str  # its path in the tap
    branch: str
    pull_request: str | None = None  # the pull request's page, when one was opened

    def places(self, version: str) -> list[Place]:
        return [Place("Homebrew pull request", self.pull_request)] if self.pull_request else []


@dataclass
class Landings:
    """One field per destination; None until its publisher finds the release there."""

    github: GithubLanding | None = None
    pypi: PypiLanding | None = None
    crates: CratesLanding | None = None
    npm: NpmLanding | None = None
    docker: DockerLanding | None = None
    homebrew: HomebrewLanding | None = None

    def places(self, version: str) -> list[Place]:
        """Every place this release landed, in the order people read them."""
        found: list[Place] = []
        for landing in (self.github, self.pypi, self.crates, self.npm, self.docker, self.homebrew):
            if landing is not None:
                found += landing.places(version)
        return found

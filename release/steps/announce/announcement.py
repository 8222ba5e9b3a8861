"""What every announcer says, worked out once: the title, the changelog section and its
bullet lines, where the release landed (`ctx.landed.places`), or which step failed and what
to do next. Each announcer only shapes it for its service (Block Kit, an embed, an
Adaptive Card, an e-mail, a toot)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from release.base import secrets
from release.core.engine.context import ReleaseContext
from release.core.engine.landing import Place
from release.steps.announce import text as announce_text
from release.steps.changelog.step import render_section

RESUME = (
    "Parts of the release are public: fix the cause, then run `release resume` in the "
    "repository (`release status` shows what ran)."
)
AGAIN = "Nothing was published and the repository is as it was: fix the cause and cut again."
_HEADING = re.compile(r"^#+\s")


def project_name(ctx: ReleaseContext) -> str:
    """What a message names: the project, or in independent mode the package released
    (each package's release is announced on its own, with its version)."""
    if ctx.package is not None:
        return ctx.package.name
    return ctx.config.project.name or ctx.root.name


def bullets(section: str) -> list[str]:
    """The changelog's bullet lines, as markdown (links and emphasis kept)."""
    found = []
    for line in section.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            found.append(stripped[2:].strip())
    return found


def body_of(section: str) -> str:
    """The section without its own `## [1.2.0] - date` heading (the title says it)."""
    lines = section.strip().splitlines()
    if lines and _HEADING.match(lines[0]):
        lines = lines[1:]
    return "\n".join(lines).strip()


@dataclass(frozen=True)
class Released:
    project: str
    version: str
    tag: str
    section: str  # the changelog section, markdown, without its heading
    items: list[str]  # its bullet lines
    places: list[Place]

    @property
    def title(self) -> str:
        return f"{self.project} {self.version} released"

    @property
    def link(self) -> str:
        """The page people open first: the GitHub release when there is one."""
        return next((p.url for p in self.places if p.url), "")


@dataclass(frozen=True)
class Failed:
    project: str
    version: str
    step: str
    error: str  # redacted
    then: str  # what to do next

    @property
    def title(self) -> str:
        return f"{self.project} {self.version}: release failed at {self.step}"


def released(ctx: ReleaseContext) -> Released:
    """What to say, with text from commits made safe once for every service: links only to
    http(s) pages, each line and the section bounded (announce_text)."""
    section = announce_text.safe_links(render_section(ctx))
    version = str(ctx.version)
    places = [
        p if not p.url or announce_text.is_web(p.url) else Place(p.label)
        for p in ctx.landed.places(version)
    ]
    link = next((p.url for p in places if p.url), "")
    return Released(
        announce_text.clip(project_name(ctx), 100),
        version,
        ctx.tag,
        announce_text.section(body_of(section), link),
        [announce_text.clip(item, announce_text.MAX_ITEM) for item in bullets(section)],
        places,
    )


def failed(ctx: ReleaseContext, step: str, error: str, resumable: bool = True) -> Failed:
    return Failed(
        project_name(ctx),
        str(ctx.version),
        step,
        announce_text.clip(secrets.redact(error), 2000),
        RESUME if resumable else AGAIN,
    )

"""One run's npm publishing: each package packed, compared with the registry's packument,
and published once, retried on a transient failure after asking the registry whether the
publish went through after all (an answer lost on the way back)."""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

from release.base.errors import ReleaseError, ToolError
from release.base.versioning import Version
from release.core.engine import killpoints
from release.core.engine.context import ReleaseContext
from release.steps.npm.packages import NpmPackage
from release.steps.npm.registry import Registry, dist_tag
from release.tools import npm as npm_tool

_TRANSIENT = re.compile(
    r"\bE(5\d\d|429)\b|\b(5\d\d|429) (Service|Bad|Internal|Gateway|Too)|ECONNRESET|ETIMEDOUT|"
    r"EAI_AGAIN|ECONNREFUSED|socket hang up|network",
    re.IGNORECASE,
)
BACKOFF = 1.0  # seconds before the first retry; doubled each time, with jitter


def other_content(package: str, version: str, there: str, ours: str) -> ReleaseError:
    return ReleaseError(
        f"{package}@{version} is already on the npm registry with other content "
        f"(integrity {there[:19]}…, ours {ours[:19]}…)",
        hint="npm never accepts a version twice, even after an unpublish: release a new version",
    )


@dataclass(frozen=True)
class Packed:
    package: NpmPackage
    tarball: Path
    integrity: str
    version: str


def pack_all(packages: list[NpmPackage], into: Path) -> list[Packed]:
    """Every package packed into `into`: ours without lifecycle scripts, the project's own
    with them (a `prepack` may build what the package ships)."""
    found: dict[str, Packed] = {}
    for generated in (True, False):
        group = {p.name: p for p in packages if p.generated == generated}
        folders = [p.folder for p in group.values()]
        for tarball in npm_tool.pack(folders, into, npm_tool.quiet(), scripts=not generated):
            package = group[tarball.name]
            found[package.name] = Packed(
                package, into / tarball.filename, tarball.integrity, tarball.version
            )
    return [found[p.name] for p in packages]


def published(registry: Registry, packed: Packed) -> bool:
    """Is this exact tarball the registry's version? Other content there is an error."""
    there = registry.packument(packed.package.name).integrity.get(packed.version)
    if there is None:
        return False
    if there != packed.integrity:
        raise other_content(packed.package.name, packed.version, there, packed.integrity)
    return True


@dataclass
class Publisher:
    ctx: ReleaseContext
    registry: Registry
    env: dict[str, str]
    provenance: bool
    step: str = "npm"

    def one(self, packed: Packed) -> str:
        name = packed.package.name
        packument = self.registry.packument(name)
        there = packument.integrity.get(packed.version)
        if there is not None:
            if there != packed.integrity:
                raise other_content(name, packed.version, there, packed.integrity)
            return self._record(packed, "already-published", None)
        tag = dist_tag(Version.parse(packed.version), packument.tags)
        killpoints.reached(f"before:npm:{name}")
        self._publish(packed, tag)
        killpoints.reached(f"after:npm:{name}")
        return self._record(packed, "published", tag)

    def _publish(self, packed: Packed, tag: str) -> None:
        config = self.ctx.config.npm
        for attempt in range(1, config.retries + 1):
            try:
                npm_tool.publish(
                    packed.tarball,
                    registry=config.registry,
                    tag=tag,
                    access=config.access,
                    provenance=self.provenance,
                    env=self.env,
                )
                return
            except ToolError as exc:
                if published(self.registry, packed):
                    return  # it went through; only the answer was lost
                text = f"{exc.message}\n{exc.detail or ''}"
                if not _TRANSIENT.search(text) or attempt == config.retries:
                    raise
            time.sleep(min(30.0, BACKOFF * 2 ** (attempt - 1) * random.uniform(0.5, 1.0)))

    def _record(self, packed: Packed, result: str, tag: str | None) -> str:
        detail = {"package": packed.package.name, "version": packed.version, "result": result}
        self.ctx.record(self.step, "item", **detail, **({"tag": tag} if tag else {}))
        return result

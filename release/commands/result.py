"""The result every command returns, its JSON envelope, and the results of the commands
answered on the fast path (`release next`, `release changelog`): kept apart from the other
results (release.commands.results) so that those classes are not built at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from release.base.errors import ExitCode

if TYPE_CHECKING:
    from release.core.engine.context import ReleaseContext
    from release.core.plan.independent import PackagePlan

SCHEMA = 1  # the envelope's version: a key renamed or removed means a new one


@dataclass(frozen=True)
class VersionInfo:
    """The release a command is about: from what, to what, and why."""

    previous: str | None
    previous_tag: str | None
    version: str | None
    tag: str | None
    bump: str
    reason: str
    commits: int
    groups: dict[str, int]

    @classmethod
    def of(cls, ctx: ReleaseContext) -> VersionInfo:
        return cls(
            previous=str(ctx.previous.version) if ctx.previous else None,
            previous_tag=ctx.previous.tag if ctx.previous else None,
            version=str(ctx.version) if ctx.version else None,
            tag=ctx.tag if ctx.version else None,
            bump=ctx.bump.name.lower(),
            reason=ctx.reason,
            commits=len(ctx.commits),
            groups=ctx.groups(),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "previous": self.previous,
            "previous_tag": self.previous_tag,
            "version": self.version,
            "tag": self.tag,
            "bump": self.bump,
            "reason": self.reason,
            "commits": self.commits,
            "groups": self.groups,
        }


@dataclass
class Result:
    command: ClassVar[str]
    exit_code: ExitCode = field(default=ExitCode.OK, kw_only=True)
    # Lines for people on stderr, in both renderings ("no release: ...").
    notes: list[str] = field(default_factory=list, kw_only=True)

    def payload(self) -> dict[str, Any] | None:
        """The command's own JSON keys; None: nothing for programs on stdout."""
        return None

    def envelope(self) -> dict[str, Any] | None:
        payload = self.payload()
        if payload is None:
            return None
        head = {"schema": SCHEMA, "command": self.command, "ok": self.exit_code == ExitCode.OK}
        return {**head, **payload}  # a command's own "ok" (verify's) wins


@dataclass(frozen=True)
class PackageInfo:
    """One package of an independently versioned repository: where it is, what it is now,
    and what it becomes (None: not released) and why."""

    name: str
    kind: str
    path: str
    current: str
    previous_tag: str | None
    version: str | None
    tag: str | None
    bump: str
    reasons: list[str]
    commits: list[dict[str, str]]

    @classmethod
    def of(cls, plan: PackagePlan) -> PackageInfo:
        package = plan.package
        return cls(
            name=package.name,
            kind=package.kind,
            path=package.root or ".",
            current=str(plan.previous.version if plan.previous else package.version),
            previous_tag=plan.previous.tag if plan.previous else None,
            version=str(plan.version) if plan.version else None,
            tag=plan.tag,
            bump=plan.bump.name.lower(),
            reasons=list(plan.reasons),
            commits=[{"id": c.id, "summary": c.summary} for c in plan.changes],
        )


@dataclass
class NextResult(Result):
    command: ClassVar[str] = "next"
    info: VersionInfo | None
    packages: list[PackageInfo] | None = None  # independent versions: every package

    @property
    def released(self) -> list[PackageInfo]:
        return [p for p in self.packages or [] if p.version]

    def payload(self) -> dict[str, Any] | None:
        if self.packages is not None:
            if not self.released:
                return None  # nothing to release: stdout stays empty
            return {"mode": "independent", "packages": [vars(p) for p in self.packages]}
        return self.info.as_dict() if self.info and self.info.version else None


@dataclass
class ChangelogResult(Result):
    command: ClassVar[str] = "changelog"
    text: str
    output: Path | None  # written there; None: for stdout
    # Independent versions: the changelogs written beside the packages' manifests.
    written: list[str] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        output = str(self.output) if self.output else None
        return {"text": self.text, "output": output, "written": self.written}

"""`release next`: the next version, from the conventional commits since the last release."""

from __future__ import annotations

from pathlib import Path

from release.commands.result import NextResult, VersionInfo


def next_version(start: Path, pre: str | None) -> NextResult:
    from release.core.planning import plan

    ctx = plan(start, None, pre)
    notes = [] if ctx.version else [f"no release: {ctx.reason}"]  # stdout stays empty
    return NextResult(VersionInfo.of(ctx), notes=notes)

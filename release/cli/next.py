"""`release next`: the next version from the conventional commits since the last release."""

from __future__ import annotations

import sys
from pathlib import Path


def print_next(pre: str | None, *, json: bool) -> None:
    from release.core.planning import plan

    ctx = plan(Path.cwd(), None, pre)
    if ctx.version is None:
        sys.stderr.write(f"no release: {ctx.reason}\n")  # stdout stays empty: nothing to release
        return
    if json:
        from release.cli.render import emit_json, version_dict

        emit_json(version_dict(ctx))
    else:
        sys.stdout.write(f"{ctx.version}\n")

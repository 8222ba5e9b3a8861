"""`release pr` for people: one line with the pull request's URL."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from release.commands.result import Result
    from release.commands.results import PrResult


def show_pr(result: Result) -> None:
    found = cast("PrResult", result)
    if found.pull is not None:
        what = {
            "opened": "opened",
            "updated": "updated",
            "unchanged": "up to date",
            "closed": "closed",
        }
        version = f" for {found.version}" if found.version else ""
        sys.stdout.write(
            f"release pull request {what[found.pull.action]}{version}: {found.pull.url}\n"
        )

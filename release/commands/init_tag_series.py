"""Tag series that name no package: polars tags its crate `rs-0.45.0` and its PyPI package
`py-1.20.0`. A package none of the usual styles tags is tagged in the series (a prefix that
recurs on the repository's tags) that holds the version it states; when several packages state
that version (a workspace's crates released together), the series goes to the one with the
shortest name (`polars`, not `polars-core`), the others being released with it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from release.core.project.packages import Package

_SERIES = re.compile(r"^([^0-9]*?)v?[0-9]+\.[0-9]+\.[0-9]+")
_MIN_TAGS = 2  # a prefix on one tag is no series


def series_formats(
    tags: set[str], packages: Iterable[Package], taken: Iterable[str], names: set[str]
) -> dict[str, str]:
    """package name -> the `prefix{version}` format of its series, for `packages` (those no
    usual style tags); `taken`: the formats other packages already have; `names`: every
    package's own name, whose tags (`tauri-v2.0.6`) are no series of another's."""
    counts: Counter[str] = Counter()
    for tag in tags:
        match = _SERIES.match(tag)
        if match and match.group(1):
            counts[match.group(1)] += 1
    series = {
        prefix
        for prefix, n in counts.items()
        if n >= _MIN_TAGS and prefix.rstrip("-_@/v") not in names
    }
    used = set(taken)
    learned: dict[str, str] = {}
    ranked = sorted(packages, key=lambda p: (len(p.manifest_name), p.root.count("/"), p.name))
    for package in ranked:
        version = str(package.version)
        for fmt in (f"{prefix}{v}{{version}}" for prefix in sorted(series) for v in ("", "v")):
            if fmt in used or fmt.replace("{version}", version) not in tags:
                continue
            learned[package.name] = fmt
            used.add(fmt)
            break
    return learned

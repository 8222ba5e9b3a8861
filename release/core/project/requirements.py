"""Does a package's requirement on a sibling still accept the sibling's next version? When it
does not, the requirement is rewritten and the dependent is released too (release-plz's rule).

Cargo's and npm's ranges are read here (caret, tilde, exact, comparisons, wildcards): the
`semver` package compares versions but has no range syntax for either, and no well-kept Python
library reads Cargo's. Python requirements go through `packaging`, which reads PEP 440.
"""

from __future__ import annotations

import re

from release.base.versioning import Version

_PART = re.compile(
    r"^(?P<op>\^|~|=|==|>=|<=|>|<)?\s*v?(?P<v>[0-9*xX]+(?:\.[0-9*xX]+){0,2})(?P<pre>-[0-9A-Za-z.-]+)?$"
)


def accepts(kind: str, requirement: str | None, version: Version) -> bool:
    """True when `requirement` (None: a path dependency without a version) admits `version`."""
    if requirement is None or not requirement.strip():
        return True
    if kind == "python":
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        spec = requirement.split(";", 1)[0].split("]", 1)[-1].strip().strip("()")
        try:
            return SpecifierSet(spec).contains(str(version), prereleases=True)
        except InvalidSpecifier:
            return True  # a URL or marker-only requirement pins nothing we rewrite
    if kind == "npm" and requirement.strip().startswith(("workspace:", "file:", "link:")):
        return True  # resolved by the package manager at publish time
    alternatives = requirement.split("||") if kind == "npm" else [requirement]
    return any(_all(kind, alt, version) for alt in alternatives)


def _all(kind: str, text: str, version: Version) -> bool:
    parts = [p for p in re.split(r",|\s+(?=[\^~=<>])", text.strip()) if p.strip()]
    if not parts or text.strip() in ("*", "latest"):
        return True
    # A bare version is Cargo's caret and npm's exact version.
    bare = "^" if kind == "crate" else "="
    return all(_one(part.strip(), bare, version) for part in parts)


def _one(part: str, bare: str, version: Version) -> bool:
    match = _PART.match(part)
    if not match:
        return True  # a form we do not read: leave it to the package manager
    op = match.group("op") or bare
    numbers = [n for n in match.group("v").split(".") if n not in ("*", "x", "X")]
    given = [int(n) for n in numbers]
    major, minor, patch = given + [0] * (3 - len(given))
    low = Version(major, minor, patch, prerelease=(match.group("pre") or "")[1:] or None)
    if version.prerelease and not low.prerelease:
        return False  # Cargo and npm match a prerelease only when the requirement names one
    if op in ("=", "=="):
        return _exact(given, version) if len(given) < 3 else version == low
    if op == ">=":
        return version >= low
    if op == ">":
        return version > low
    if op == "<":
        return version < low
    if op == "<=":
        return version <= low
    if op == "~":
        return low <= version < _tilde_ceiling(given)
    return low <= version < _caret_ceiling(given)


def _exact(given: list[int], version: Version) -> bool:
    return [version.major, version.minor, version.patch][: len(given)] == given


def _tilde_ceiling(given: list[int]) -> Version:
    if len(given) <= 1:
        return Version((given or [0])[0] + 1, 0, 0)
    return Version(given[0], given[1] + 1, 0)


def _caret_ceiling(given: list[int]) -> Version:
    """The first version a caret requirement refuses: the left-most non-zero part moves."""
    padded = given + [0] * (3 - len(given))
    if not given:
        return Version(2**31, 0, 0)
    if padded[0] > 0 or len(given) == 1:
        return Version(padded[0] + 1, 0, 0)
    if padded[1] > 0 or len(given) == 2:
        return Version(0, padded[1] + 1, 0)
    return Version(0, 0, padded[2] + 1)

"""Docker tag templates (`{version}`, `{major}.{minor}`, `latest`...): the fields they may
use, known once, for the config's validation and the docker step's rendering."""

from __future__ import annotations

from semver import Version

FIELDS = ("version", "major", "minor", "patch", "tag", "commit", "short_commit")
# A tag that names one release never moves; the others (`1.2`, `1`, `latest`) follow releases.
IMMUTABLE_FIELDS = ("{version}", "{tag}", "{commit}", "{short_commit}")


def render(template: str, version: Version, tag: str, commit: str) -> str:
    return template.format(
        version=str(version),
        major=version.major,
        minor=version.minor,
        patch=version.patch,
        tag=tag,
        commit=commit,
        short_commit=commit[:7],
    )


def immutable(template: str) -> bool:
    return any(field in template for field in IMMUTABLE_FIELDS)


def validate(template: str) -> None:
    """ValueError naming the unknown field of a template that cannot render."""
    try:
        render(template, Version(1, 2, 3), "v", "c")
    except (KeyError, IndexError, ValueError) as exc:
        names = ", ".join("{" + f + "}" for f in FIELDS)
        raise ValueError(
            f"{template!r} is not a tag template: unknown field {exc}; use {names}"
        ) from None

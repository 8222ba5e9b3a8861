"""Docker tag templates (`{version}`, `{major}.{minor}`, `latest`...): the fields they may
use, known once, for the config's validation and the docker step's rendering."""

from __future__ import annotations

from semver import Version

FIELDS = ("version", "major", "minor", "patch", "tag", "commit", "short_commit")
# A tag that names one release never moves; the others (`1.2`, `1`, `latest`) follow releases.
IMMUTABLE_FIELDS = ("{version}", "{tag}", "{commit}", "{short_commit}")


def render(template: str, version: Version, tag: str, commit: str, **more: str) -> str:
    return template.format(
        version=str(version),
        major=version.major,
        minor=version.minor,
        patch=version.patch,
        tag=tag,
        commit=commit,
        short_commit=commit[:7],
        **more,
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


def platform_fields(platform: str) -> dict[str, str]:
    """`linux/arm64/v8` -> os, arch, variant (empty when none) and `platform` (linux-arm64-v8)."""
    parts = platform.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise ValueError(
            f"{platform!r} is not a platform: write os/arch[/variant], e.g. linux/arm64"
        )
    return {
        "os": parts[0],
        "arch": parts[1],
        "variant": parts[2] if len(parts) == 3 else "",
        "platform": "-".join(parts),
    }


def render_platform(template: str, version: Version, tag: str, commit: str, platform: str) -> str:
    """The tag CI pushed for one platform: `sha-{short_commit}-{arch}` -> `sha-1a2b3c4-arm64`."""
    return render(template, version, tag, commit, **platform_fields(platform))


def validate_platform(template: str, platforms: list[str]) -> None:
    """ValueError unless `template` renders one distinct tag for each of `platforms`."""
    if not platforms:
        raise ValueError('name the platforms: platforms = ["linux/amd64", "linux/arm64"]')
    try:
        names = {render_platform(template, Version(1, 2, 3), "v", "c", p) for p in platforms}
    except (KeyError, IndexError) as exc:
        known = ", ".join("{" + f + "}" for f in (*FIELDS, "os", "arch", "variant", "platform"))
        raise ValueError(f"{template!r}: unknown field {exc}; use {known}") from None
    if len(names) != len(platforms):
        raise ValueError(f"{template!r} gives two platforms one tag: use {{arch}} or {{platform}}")

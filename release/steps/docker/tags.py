"""Which tags a release points on one registry: version tags always, moving tags (`1.2`,
`1`, `latest`) only when no newer release on that registry already holds them."""

from __future__ import annotations

from semver import Version

from release.core.settings.image_tags import immutable, render


def versions_in(tags: list[str]) -> list[Version]:
    found = []
    for tag in tags:
        text = tag.removeprefix("v")
        if Version.is_valid(text):
            found.append(Version.parse(text))
    return found


def planned_tags(
    templates: list[str], version: Version, tag: str, commit: str, existing: list[str]
) -> tuple[list[str], list[str]]:
    """(tags to point at this release, moving tags left to a newer release)."""
    if version.prerelease:
        templates = [t for t in templates if immutable(t)]
    newer = [v for v in versions_in(existing) if not v.prerelease and v > version]
    chosen: list[str] = []
    held: list[str] = []
    for template in templates:
        name = render(template, version, tag, commit)
        if name in chosen:
            continue
        # A moving tag belongs to the highest version that renders to it.
        if not immutable(template) and any(render(template, v, tag, commit) == name for v in newer):
            held.append(name)
        else:
            chosen.append(name)
    return chosen, held

"""The last release HEAD reaches: the nearest tag first, then only the tags above it asked
whether HEAD reaches them; in a shallow clone, what the fetched tags allow."""

from __future__ import annotations

from release.base.errors import RepositoryError
from release.base.versioning import Release, TagFormat, Version, last_final_release, last_release
from release.tools.git import Git


def find_releases(
    git: Git, fmt: TagFormat, exclude: set[str] | None = None
) -> tuple[Release | None, Release | None]:
    """The highest release tag reachable from HEAD, and the highest final one.

    The nearest tag (`git describe`, a short walk) is reachable, so the answer is at least its
    version: only the tags from there up are asked about (`for-each-ref --merged=HEAD`, which
    then walks back only to the oldest of them). On a release line the nearest tag is the
    highest and nothing more is asked. Walking the whole history for every tag instead cost
    0.15 s on nuxt/nuxt (15,000 commits, 336 tags).
    """
    skip = exclude or set()
    parsed = ((fmt.parse(tag), tag) for tag in git.tags(fmt.glob) if tag not in skip)
    candidates = [(v, t) for v, t in parsed if v is not None]  # no need to sort them
    if not candidates:
        return None, None
    reachable = _reachable_above_nearest(git, fmt, candidates)
    if reachable is None:
        reachable = set(git.tags_merged(fmt.glob)) - skip
    return last_release(reachable, fmt), last_final_release(reachable, fmt)


def _reachable_above_nearest(
    git: Git, fmt: TagFormat, candidates: list[tuple[Version, str]]
) -> set[str] | None:
    """The reachable candidates from the nearest tag's version up, None when they do not
    settle both answers (no final release among them)."""
    nearest = git.nearest_tag(fmt.glob)
    floor = fmt.parse(nearest) if nearest else None
    if nearest is None or floor is None:
        return None
    above = [t for v, t in candidates if v >= floor]  # the nearest one included
    found = {nearest} if above == [nearest] else set(git.tags_merged(fmt.glob, among=above))
    if not any((v := fmt.parse(t)) is not None and not v.prerelease for t in found):
        return None
    return found


def shallow_releases(git: Git, fmt: TagFormat) -> tuple[Release | None, Release | None]:
    """In a shallow clone, the release tags fetched just below where its history stops
    (`git fetch --shallow-exclude=v1.2.0` and the tag): HEAD's history is all there."""
    tags = [t for t in git.tags(fmt.glob) if fmt.parse(t) is not None]
    if not tags:
        raise RepositoryError(
            "this is a shallow clone without release tags: the last release cannot be found",
            hint="fetch the whole history (git fetch --unshallow --tags; in GitHub Actions "
            "actions/checkout with fetch-depth: 0)",
        )
    commits = git.rev_parse(*(f"refs/tags/{t}^{{commit}}" for t in tags))
    parents = git.shallow_parents()
    connected = [t for t, c in zip(tags, commits, strict=True) if c in parents]
    if not connected:
        newest = last_release(tags, fmt)
        assert newest is not None
        raise RepositoryError(
            f"this shallow clone has the tag {newest.tag} but not the commits between it and "
            "HEAD: the commits since the last release cannot be read",
            hint=f"fetch them: git fetch --shallow-exclude={newest.tag} origin "
            "(or git fetch --unshallow)",
        )
    return last_release(connected, fmt), last_final_release(connected, fmt)

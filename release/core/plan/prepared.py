"""A release already prepared on the branch: a merged release pull request (`release pr`)
left the manifests at version V and the changelog with V's section, and no tag names V yet.

`release cut` on such a commit releases V as it is: the changelog and bump steps find their
work done, the commit-tag step tags HEAD without a second commit, and the release notes are
the section as the changelog file has it (a maintainer may have edited it in the pull
request), not a new rendering. The detection asks the files and the tags, never the commit
messages: a merge commit, a squash or a rebase of the pull request all count alike.
"""

from __future__ import annotations

from release.base.errors import ReleaseError, VersionError
from release.base.fsutil import read_text
from release.base.versioning import Version
from release.core.engine.context import ReleaseContext
from release.core.project import changelog_file
from release.core.project.manifests import manifests_for, normalized


def _changelog_text(ctx: ReleaseContext) -> str | None:
    if not ctx.config.changelog.enabled or ctx.package is not None:
        return None
    path = ctx.root / ctx.config.changelog.path
    return read_text(path) if path.is_file() else None


def _parsed(text: str) -> Version | None:
    try:
        return Version.parse(text)
    except (VersionError, ValueError):
        return None


def _manifest_versions(ctx: ReleaseContext) -> set[str] | None:
    """The versions the committed manifests state (normalized); None when they cannot be
    read, or when a release file has uncommitted changes (a killed cut's, a hand edit's):
    only what the branch carries is prepared."""
    try:
        sites = [s for m in manifests_for(ctx.root, ctx.config, ctx.layout) for s in m.current()]
    except ReleaseError:
        return None
    ours = {ctx.relpath(s.path) for s in sites} | {ctx.config.changelog.path}
    if ours & set(ctx.git.dirty_paths()):
        return None
    return {normalized(s.version) for s in sites}


def _unreleased(ctx: ReleaseContext, version: Version) -> bool:
    newer = ctx.previous is None or version > ctx.previous.version
    return newer and not ctx.git.tag_exists(ctx.tag_format.format(version))


def prepared_version(ctx: ReleaseContext) -> Version | None:
    """V when the branch already carries V's release (lockstep only): every manifest says V,
    the changelog (when it is on) has a section named V, V is above the last release and no
    tag names it. None otherwise."""
    if ctx.package is not None:
        return None
    stated = _manifest_versions(ctx)
    if stated is None or len(stated) > 1:
        return None
    text = _changelog_text(ctx)
    if text is not None:
        named = {
            v
            for h in changelog_file.headings(text)
            for found in changelog_file.versions_in(h.text)
            if (v := _parsed(found)) is not None and _unreleased(ctx, v)
        }
        candidates = [v for v in named if not stated or normalized(str(v)) in stated]
    elif ctx.config.changelog.enabled or not stated:
        return None  # a changelog that should be there and is not: nothing was prepared
    else:
        candidates = [v for s in stated if (v := _parsed(s)) is not None and _unreleased(ctx, v)]
    return max(candidates, default=None)


def section_of(text: str, version: Version) -> str | None:
    """V's section of a changelog as the file has it: its heading and everything down to the
    next heading of the same or a higher level."""
    found = changelog_file.headings(text)
    for index, heading in enumerate(found):
        if str(version) not in changelog_file.versions_in(heading.text):
            continue
        rank = len(heading.level) if heading.level.startswith("#") else 1
        end = len(text)
        for later in found[index + 1 :]:
            later_rank = len(later.level) if later.level.startswith("#") else 1
            if later_rank <= rank or changelog_file.versions_in(later.text):
                end = later.start
                break
        return text[heading.start : end].strip("\n") + "\n"
    return None


def file_section(ctx: ReleaseContext) -> str | None:
    """This release's section as the repository's changelog has it (lockstep), if it has it."""
    text = _changelog_text(ctx)
    if text is None or ctx.version is None:
        return None
    return section_of(text, ctx.version)


def adopt(ctx: ReleaseContext) -> bool:
    """Make `ctx` the prepared release's when the branch carries one (and the command line
    named no other version): its version, and its notes from the changelog file."""
    found = prepared_version(ctx)
    if found is None or (ctx.explicit and ctx.version != found):
        return False
    ctx.version = found
    ctx.prepared = True
    changelog = ctx.config.changelog.path
    ctx.reason = (
        f"{ctx.tag} is prepared on this branch: the manifests and {changelog} already say "
        f"{found} (a merged release pull request)"
    )
    ctx.explicit = True
    section = file_section(ctx)
    if section is not None:
        ctx.memo.changelog_section = section
    return True

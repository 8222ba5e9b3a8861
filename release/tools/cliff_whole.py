"""The whole changelog from one tag-less git-cliff parse (release.tools.cliff_parse), its
releases built as one run builds them (release.tools.cliff_context) and rendered with the
project's templates (release.tools.cliff_render)."""

from __future__ import annotations

from pathlib import Path

from release.tools import cliff, cliff_context, cliff_parse, cliff_recover, cliff_render, cliff_walk
from release.tools.cliff_walk import Tag


def whole_changelog(
    root: Path, config: Path, tag_pattern: str, cache: Path | None = None
) -> str | None:
    """The whole changelog as one git-cliff run over `tag_pattern`'s tags writes it, or None
    where this path cannot promise that (the caller renders otherwise). `cache`: a folder
    that keeps the parse of released history between runs (release.tools.cliff_parse)."""
    from concurrent.futures import ThreadPoolExecutor

    data = cliff.load_config(config)
    if not cliff_context.usable(data):
        return None
    newest = str(data.get("git", {}).get("sort_commits", "oldest")).lower() == "newest"
    history = cliff_walk.history(root)
    with ThreadPoolExecutor(max_workers=3) as pool:
        outside: list[Tag] = []
        listed = pool.submit(cliff_walk.tags, root, tag_pattern, history, outside)
        marks = cliff_recover.can_mark(data)
        commits = cliff_parse.parse(root, config, data, history, pool, cache, marks)
        try:
            tags = listed.result()
        except LookupError:
            return None
        if commits is None:
            return None
        # commits git-cliff read with no message (not UTF-8), parsed from git's reading
        commits = cliff_recover.recovered(root, config, data, commits, marks, cache)
        if commits is None:
            return None
        kept = {oid for oid, _ in commits}
        if cliff_walk.blame_ignored(root, [t.commit for t in tags if t.commit not in kept]):
            return None  # a tag on a commit git-cliff leaves out of its walk
        found = cliff_context.releases(history, commits, tags)
        if found is None:
            return None
        # one run links its oldest release to an older tag off HEAD's history
        oldest = found[0][0]
        if (
            oldest
            and any(t.time <= oldest.time for t in outside)
            and cliff_context.PREVIOUS.search(str(data.get("changelog", {})))
        ):
            return None
        rendered = (
            None if cache is None else cliff_parse.kept_file_of(root, config, cache, "render")
        )
        return cliff_render.render(root, config, data, found, newest, pool, rendered)

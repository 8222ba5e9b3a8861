"""`release changelog`: the whole changelog, or the unreleased section, through git-cliff."""

from __future__ import annotations

from pathlib import Path

from release import config as config_module
from release.planning import find_releases
from release.tools import cliff
from release.tools.git import Git
from release.versioning import TagFormat


def changelog_text(start: Path, *, unreleased: bool) -> str:
    git = Git.discover(start)
    cfg = config_module.load(git.root)
    fmt = TagFormat(cfg.version.tag_format)
    own = git.root / cfg.changelog.config
    config = own if own.is_file() else cliff.default_config()
    cliff.load_config(config)  # a malformed cliff.toml is one clear line, not a Rust backtrace
    if unreleased:
        last, _ = find_releases(git, fmt)
        rev_range = f"{last.tag}..HEAD" if last else None
        return cliff.render(
            git.root, config, rev_range=rev_range, tag_pattern=fmt.regex, strip="all"
        )
    return cliff.render(git.root, config, rev_range=None, tag_pattern=fmt.regex)

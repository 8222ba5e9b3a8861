"""A repository whose releases are tagged in another format than the config's: without a
word, `next` would call it never released and propose the initial version (poetry's `2.4.1`
tags under the default `v{version}`)."""

from __future__ import annotations

from release.base.errors import ConfigError
from release.base.versioning import TagFormat, last_release
from release.core.settings.config import Config
from release.tools.git import Git

# The formats release tags are spelled in most often, beside the default `v{version}`.
COMMON = ("{version}", "v{version}", "release-{version}", "version-{version}", "release/v{version}")


def refuse_unset_format(git: Git, cfg: Config, fmt: TagFormat) -> None:
    """ConfigError when the config does not choose the tag format, no tag is in the default
    one, and final releases are tagged in another common format."""
    if _chosen(git):
        return  # chosen: a first release in a new format is the user's call
    tags = git.tags("*")
    for template in COMMON:
        other = TagFormat(template)
        if template == fmt.template:
            continue
        found = last_release([t for t in tags if (v := other.parse(t)) and not v.prerelease], other)
        if found is not None:
            raise ConfigError(
                f"no tag is in the format {fmt.template!r}, but this repository's releases are "
                f"tagged {template!r} (the last one {found.tag})",
                hint=f'set [version] tag_format = "{template}" in release-toolkit.toml '
                "(`release init` writes it), or choose a format to start from",
                where=str(cfg.source) if cfg.source else None,
            )


def _chosen(git: Git) -> bool:
    """Does a config file (ours, or cargo-release's tag-name) choose the tag format?"""
    from release.core.settings.config_files import find

    found = find(git.root)
    tables = (found.data.get("version"), found.borrowed.get("version"))
    return any(isinstance(t, dict) and "tag_format" in t for t in tables)

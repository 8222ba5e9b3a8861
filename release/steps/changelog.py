"""Prepend the new version's section to CHANGELOG.md, rendered by git-cliff."""

from __future__ import annotations

import re
from pathlib import Path

from release.core.context import Problem, ReleaseContext
from release.core.errors import ReleaseError
from release.core.fsutil import atomic_write, read_text
from release.core.step import Step, Verdict, skip_unless
from release.tools import cliff


def config_path(ctx: ReleaseContext) -> Path:
    """The project's cliff.toml, or the built-in default when it has none."""
    own = ctx.root / ctx.config.changelog.config
    return own if own.is_file() else cliff.default_config()


def changelog_path(ctx: ReleaseContext) -> Path:
    return ctx.root / ctx.config.changelog.path


def prerelease_tags(ctx: ReleaseContext) -> str:
    """A regex for this format's prerelease tags, merged into a final release's section."""
    prefix, _, suffix = ctx.tag_format.template.partition("{version}")
    return f"^{re.escape(prefix)}[0-9]+\\.[0-9]+\\.[0-9]+-.*{re.escape(suffix)}$"


def render_section(ctx: ReleaseContext) -> str:
    """The new version's section alone (no header, no footer)."""
    if ctx.memo.changelog_section is not None:
        return ctx.memo.changelog_section
    assert ctx.version is not None
    section = cliff.render(
        ctx.root,
        config_path(ctx),
        rev_range=ctx.rev_range,
        tag_pattern=ctx.tag_format.regex,
        tag=ctx.tag,
        ignore_tags=None if ctx.version.prerelease else prerelease_tags(ctx),
        strip="all",
    )
    ctx.memo.changelog_section = section
    return section


def prepend(existing: str | None, header: str, section: str) -> str:
    """Insert `section` after the header; every older byte stays as it was."""
    section = section.strip("\n") + "\n\n"
    if existing is None:
        return header + section
    if header and existing.startswith(header):
        return header + section + existing[len(header) :]
    first = re.search(r"^## ", existing, flags=re.MULTILINE)
    if first:
        return existing[: first.start()] + section + existing[first.start() :]
    # Only a header so far: the first section goes after it.
    return existing.rstrip("\n") + "\n\n" + section if existing.strip() else header + section


def header_of(config: Path) -> str:
    changelog = cliff.load_config(config).get("changelog", {})
    header = changelog.get("header") or ""
    return str(header)


class ChangelogStep(Step):
    name = "changelog"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return skip_unless(ctx.config.changelog.enabled, "[changelog] enabled = false")

    def describe(self, ctx: ReleaseContext) -> str:
        return f"prepend the {ctx.tag} section to {ctx.config.changelog.path} (git-cliff)"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        try:
            cliff.load_config(config_path(ctx))
            render_section(ctx)  # renders into memory: template errors show now
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        path = changelog_path(ctx)
        if not path.is_file():
            return False
        version = re.escape(str(ctx.version))
        heading = re.compile(rf"^#+ .*\b{version}\b(?![-.+0-9A-Za-z])", re.MULTILINE)
        return bool(heading.search(read_text(path)))

    def run(self, ctx: ReleaseContext) -> None:
        path = changelog_path(ctx)
        existing = read_text(path) if path.is_file() else None
        text = prepend(existing, header_of(config_path(ctx)), render_section(ctx))
        atomic_write(path, text)
        ctx.changes.changed_files.append(ctx.relpath(path))
        if existing is None:
            ctx.changes.created_files.append(ctx.relpath(path))

"""The repository's changelog in independent mode, when `[changelog] root = true`: each cut
prepends one section to `[changelog] path` that joins the released packages' sections, each
as its own changelog got it (with the default template its heading names the package's
tag: `## [core-v0.4.0] - 2026-12-02`).

The multi-package cut, once `ChangelogStep().run(c)` has run for each package context `c`
(that renders and keeps each section, which is read here, not rendered again):

    root = RootChangelogStep(ctxs)       # the cut's package contexts, in its order
    if root.applies(ctx) and not root.done(ctx):
        root.run(ctx)                    # writes the file, recorded in ctx.changes

`ctx` is any context of the cut (they share the repository, the config and `changes`);
`check(ctx)` says what would stop it, as a step's check does. `root_section(ctxs)` is the
joined text alone; `changelog_files(ctxs)` every file the changelog steps of the cut write
(what a resume may put back).
"""

from __future__ import annotations

from pathlib import Path

from release.base.errors import ConfigError, ReleaseError
from release.base.fsutil import atomic_write, read_text
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Step, Verdict, skip_unless
from release.core.project import changelog_file
from release.core.settings.config import Config
from release.steps.changelog.step import (
    changelog_path,
    config_path,
    header_of,
    markup_problem,
    prepend,
    release_versions,
    render_section,
)


def wanted(config: Config) -> bool:
    """Whether independent cuts write the repository's changelog too."""
    return config.changelog.enabled and config.changelog.root


def root_path(ctx: ReleaseContext) -> Path:
    return ctx.root / ctx.config.changelog.path


def released(ctxs: list[ReleaseContext]) -> list[ReleaseContext]:
    return [c for c in ctxs if c.version is not None]


def root_section(ctxs: list[ReleaseContext]) -> str:
    """The released packages' sections, in the order of `ctxs`, as one section of the
    repository's changelog ("" when none is released)."""
    sections = [render_section(c).strip("\n") for c in released(ctxs)]
    return "\n\n".join(s for s in sections if s) + "\n" if any(sections) else ""


def changelog_files(ctxs: list[ReleaseContext]) -> list[Path]:
    """The files a cut's changelog steps write: each released package's own changelog, and
    the repository's when `[changelog] root` is set."""
    files = [changelog_path(c) for c in released(ctxs)]
    if ctxs and wanted(ctxs[0].config):
        files.append(root_path(ctxs[0]))
    return files


def in_file(text: str, ctx: ReleaseContext) -> bool:
    """Whether a heading of the repository's changelog is this package release's: it names
    the tag, or the package and the version."""
    for heading in changelog_file.headings(text):
        title = heading.text
        if ctx.tag in title:
            return True
        named = ctx.package is not None and ctx.package.name in title
        if named and str(ctx.version) in changelog_file.versions_in(title):
            return True
    return False


def collision(ctxs: list[ReleaseContext]) -> ConfigError | None:
    """A package whose own changelog is the repository's (a package at the root, both
    `CHANGELOG.md`) would get its section twice."""
    first = ctxs[0]
    for ctx in ctxs:
        if changelog_path(ctx) == root_path(first):
            return root_clash(first.config, ctx.package.name if ctx.package else "a package")
    return None


def root_clash(config: Config, package: str) -> ConfigError:
    return ConfigError(
        f"[changelog] root = true writes {config.changelog.path}, which is also the changelog "
        f"of {package}",
        hint="set [changelog] root = false, or another [changelog] path or package_path",
        where=config_where(config, "root"),
    )


def config_where(config: Config, key: str) -> str | None:
    """The config file and line of `[changelog] key`, for errors that name it."""
    if config.source is None:
        return None
    from release.core.settings.config_files import table_in
    from release.core.settings.config_validation import locate

    table = table_in(config.source)
    line = locate(config.source.read_text(encoding="utf-8"), (*table, "changelog", key))
    return f"{config.source}:{line}" if line else str(config.source)


class RootChangelogStep(Step):
    """The repository's changelog of a multi-package cut (see the module's docstring)."""

    name = "changelog-root"
    public = False

    def __init__(self, ctxs: list[ReleaseContext]) -> None:
        self.ctxs = ctxs

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not wanted(ctx.config):
            return skip_unless(False, "[changelog] root is not set")
        return skip_unless(released(self.ctxs), "no package is released")

    def describe(self, ctx: ReleaseContext) -> str:
        tags = ", ".join(c.tag for c in released(self.ctxs))
        return f"prepend the {tags} sections to {ctx.config.changelog.path} (git-cliff)"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        try:
            if (clash := collision(self.ctxs)) is not None:
                raise clash
            section = root_section(self.ctxs)
            if (mismatch := markup_problem(ctx, section, root_path(ctx))) is not None:
                raise mismatch
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        path = root_path(ctx)
        if not path.is_file():
            return False
        text = read_text(path)
        return all(in_file(text, c) for c in released(self.ctxs))

    def run(self, ctx: ReleaseContext) -> None:
        if (clash := collision(self.ctxs)) is not None:
            raise clash
        path = root_path(ctx)
        existing = read_text(path) if path.is_file() else None
        section = root_section(self.ctxs)
        if (mismatch := markup_problem(ctx, section, path)) is not None:
            raise mismatch
        versions = [v for c in self.ctxs for v in release_versions(c)]
        text = prepend(existing, header_of(config_path(ctx)), section, versions)
        atomic_write(path, text)
        ctx.changes.changed_files.append(ctx.relpath(path))
        if existing is None:
            ctx.changes.created_files.append(ctx.relpath(path))

"""The new version's section, rendered by git-cliff, above the newest release section of
the project's changelog (release.core.project.changelog_file finds it).

In independent mode (`ctx.package` set, release.core.plan.package_context) the changelog is the
package's own (`[changelog] package_path` in its folder), and its section tells only the
commits that touched the package (release.steps.changelog.scope), between its own tags.
The repository's changelog of such a cut is release.steps.changelog.root's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from release.base import containment
from release.base.errors import BadInput, ReleaseError
from release.base.fsutil import atomic_write, read_text
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.core.project import changelog_file
from release.steps.changelog import warnings as changelog_warnings
from release.steps.changelog.scope import filters_of, package_changelog
from release.tools import cliff, cliff_warnings


def config_path(ctx: ReleaseContext) -> Path:
    """The project's cliff.toml, or the built-in default when it has none."""
    own = ctx.root / ctx.config.changelog.config
    return own if own.is_file() else cliff.default_config()


def changelog_path(ctx: ReleaseContext) -> Path:
    """The repository's changelog, or in independent mode the package's own."""
    if ctx.package is not None:
        return package_changelog(ctx.root, ctx.config, ctx.package)
    return ctx.root / ctx.config.changelog.path


def shown(ctx: ReleaseContext, path: Path) -> str:
    """The changelog as messages name it: lockstep's as the config writes it."""
    if ctx.package is None and path == ctx.root / ctx.config.changelog.path:
        return ctx.config.changelog.path
    return ctx.relpath(path)


def prerelease_tags(ctx: ReleaseContext) -> str:
    """A regex for this format's prerelease tags, merged into a final release's section."""
    prefix, _, suffix = ctx.tag_format.template.partition("{version}")
    return f"^{re.escape(prefix)}[0-9]+\\.[0-9]+\\.[0-9]+-.*{re.escape(suffix)}$"


def render_section(ctx: ReleaseContext) -> str:
    """The new version's section alone (no header, no footer): the commits since the last
    final release (its prereleases' merged in), of the package alone in independent mode."""
    if ctx.memo.changelog_section is not None:
        return ctx.memo.changelog_section
    assert ctx.version is not None
    include, exclude = filters_of(ctx)
    rev_range = ctx.rev_range
    if ctx.version.prerelease and ctx.previous is not None:
        # Since the last prerelease too: from the final release, git-cliff would render
        # the earlier prereleases' sections again, and the file has them already.
        rev_range = f"{ctx.previous.tag}..{ctx.tip}"
    section = cliff.render(
        ctx.root,
        config_path(ctx),
        rev_range=rev_range,
        tag_pattern=ctx.tag_format.regex,
        tag=ctx.tag,
        ignore_tags=None if ctx.version.prerelease else prerelease_tags(ctx),
        strip="all",
        include_paths=include,
        exclude_paths=exclude,
        unreadable=unreadable_in(ctx, rev_range),
    )
    ctx.memo.changelog_section = section
    return section


def shell_commands(config: dict[str, object]) -> list[str]:
    """The `replace_command`s of a cliff.toml's pre- and postprocessors."""
    found = []
    for table in (config.get("git"), config.get("changelog")):
        if not isinstance(table, dict):
            continue
        for key in ("commit_preprocessors", "postprocessors"):
            for rule in table.get(key) or []:
                if isinstance(rule, dict) and isinstance(rule.get("replace_command"), str):
                    found.append(rule["replace_command"])
    return found


def unreadable_in(ctx: ReleaseContext, rev_range: str | None) -> list[cliff.Commit]:
    """The commits of `rev_range` whose message git-cliff cannot read (invalid UTF-8)."""
    found = [c for c in ctx.commits if c.unreadable is not None]
    if found and rev_range != ctx.rev_range:
        ranged = set(ctx.git.out("rev-list", rev_range or "HEAD").split())
        found = [c for c in found if c.id in ranged]
    return found


def prepend(existing: str | None, header: str, section: str, releases: Iterable[str] = ()) -> str:
    """Insert `section` above the newest release section of `existing` (after the header
    when none is there yet); every byte from that heading on stays as it was."""
    if existing is not None and (placed := changelog_file.insert(existing, section, releases)):
        return placed
    section = section.strip("\n") + "\n\n"
    if existing is None:
        return header + section
    if header and existing.startswith(header):
        return header + section + existing[len(header) :]
    # No release yet in the file: the first section goes after whatever introduces it.
    return existing.rstrip("\n") + "\n\n" + section if existing.strip() else header + section


def release_versions(ctx: ReleaseContext) -> list[str]:
    """The versions of the project's release tags, as a changelog's headings name them."""
    fmt = ctx.tag_format
    found = [str(v) for tag in ctx.git.tags(fmt.glob) if (v := fmt.parse(tag)) is not None]
    stated = ctx.package.version if ctx.package else None
    if stated is not None and ctx.version is not None and stated < ctx.version:
        # A package released without a tag of this format (tokio-macros' manifest and
        # changelog say 2.7.2, its last tag 2.7.1): its heading is a release all the same.
        found.append(str(stated))
    return found


def markup_problem(ctx: ReleaseContext, section: str, path: Path | None = None) -> BadInput | None:
    """A Markdown section for an .rst changelog (or the other way round) would break it."""
    path = path or changelog_path(ctx)
    wanted = changelog_file.markup_of_path(path.name)
    rendered = changelog_file.markup_of_section(section)
    if wanted is None or rendered is None or wanted == rendered:
        return None
    names = {"md": "Markdown", "rst": "reStructuredText"}
    return BadInput(
        f"{shown(ctx, path)} is {names[wanted]} but {config_path(ctx).name} renders "
        f"{names[rendered]}; nothing was written",
        hint="use a matching template: for .rst, [changelog] config = the output of "
        "`release init` (it writes cliff-rst.toml's templates), or point [changelog] "
        f"{'package_path' if ctx.package and path == changelog_path(ctx) else 'path'} at "
        "a .md file",
    )


def header_of(config: Path) -> str:
    changelog = cliff.load_config(config).get("changelog", {})
    header = changelog.get("header") or ""
    return str(header)


class ChangelogStep(Step):
    name = "changelog"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        from release.steps.changelog.groups import skipped

        if (why := skipped(ctx)) is not None:
            return Skip(why)
        return skip_unless(ctx.config.changelog.enabled, "[changelog] enabled = false")

    def describe(self, ctx: ReleaseContext) -> str:
        return f"prepend the {ctx.tag} section to {shown(ctx, changelog_path(ctx))} (git-cliff)"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        config = config_path(ctx)
        try:
            containment.writable(ctx.root, changelog_path(ctx), what="the changelog")
            problems = changelog_warnings.command_problems(self.name, config)
            cliff_warnings.take()  # from earlier renders: not this section's
            commands = shell_commands(cliff.load_config(config))
            section = render_section(ctx)  # renders into memory: template errors show now
            if (mismatch := markup_problem(ctx, section)) is not None:
                raise mismatch
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        problems += changelog_warnings.warning_problems(self.name, config)
        if commands:
            problems.append(
                Problem(
                    self.name,
                    f"{config.name} runs a shell command on every commit's message: "
                    + "; ".join(repr(c) for c in commands),
                    hint="git-cliff runs `replace_command` by design, without the release's "
                    "secrets in its environment; remove it if you did not write it",
                    severity="warning",
                    where=str(config),
                )
            )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        path = changelog_path(ctx)
        if not path.is_file():
            return False
        version = str(ctx.version)
        return any(
            version in changelog_file.versions_in(h.text)
            for h in changelog_file.headings(read_text(path))
        )

    def run(self, ctx: ReleaseContext) -> None:
        path = changelog_path(ctx)
        existing = read_text(path) if path.is_file() else None
        cliff_warnings.take()
        section = render_section(ctx)
        changelog_warnings.raise_on_skipped(config_path(ctx))
        if (mismatch := markup_problem(ctx, section)) is not None:
            raise mismatch
        text = prepend(existing, header_of(config_path(ctx)), section, release_versions(ctx))
        if ctx.package is not None:
            path.parent.mkdir(parents=True, exist_ok=True)  # package_path may name a folder
        atomic_write(path, text)
        ctx.changes.changed_files.append(ctx.relpath(path))
        if existing is None:
            ctx.changes.created_files.append(ctx.relpath(path))

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
from release.steps.changelog.groups import filters_of
from release.steps.changelog.scope import escape as scope_escape
from release.steps.changelog.scope import package_changelog
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


def also_paths(ctx: ReleaseContext) -> list[Path]:
    """Lockstep's other changelogs (`[changelog] also`)."""
    return [] if ctx.package is not None else [ctx.root / p for p in ctx.config.changelog.also]


def render_section(ctx: ReleaseContext, path: Path | None = None) -> str:
    """The new version's section alone (no header, no footer): the commits since the last
    final release (its prereleases' merged in), of the package alone in independent mode;
    for one of `also_paths` in a folder, of the commits that touched the folder."""
    if path is not None and path != changelog_path(ctx) and path.parent != ctx.root:
        folder = scope_escape(path.parent.relative_to(ctx.root).as_posix())
        return _render(ctx, [f"{folder}/**"], [])
    if ctx.memo.changelog_section is not None:
        return ctx.memo.changelog_section
    ctx.memo.changelog_section = _render(ctx, *filters_of(ctx))
    return ctx.memo.changelog_section


def _render(ctx: ReleaseContext, include: list[str], exclude: list[str]) -> str:
    assert ctx.version is not None
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
        files = [shown(ctx, p) for p in [changelog_path(ctx), *also_paths(ctx)]]
        return f"prepend the {ctx.tag} section to {', '.join(files)} (git-cliff)"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        config = config_path(ctx)
        try:
            for path in [changelog_path(ctx), *also_paths(ctx)]:
                containment.writable(ctx.root, path, what="the changelog")
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
        return all(_has(path, str(ctx.version)) for path in [changelog_path(ctx), *also_paths(ctx)])

    def run(self, ctx: ReleaseContext) -> None:
        version = str(ctx.version)
        for path in [changelog_path(ctx), *also_paths(ctx)]:
            if path != changelog_path(ctx) and _has(path, version):
                continue  # a resumed cut wrote it already
            self._write(ctx, path)

    def _write(self, ctx: ReleaseContext, path: Path) -> None:
        existing = read_text(path) if path.is_file() else None
        cliff_warnings.take()
        section = render_section(ctx, path)
        changelog_warnings.raise_on_skipped(config_path(ctx))
        if (mismatch := markup_problem(ctx, section, path)) is not None:
            raise mismatch
        text = prepend(existing, header_of(config_path(ctx)), section, release_versions(ctx))
        if ctx.package is not None or path != changelog_path(ctx):
            path.parent.mkdir(parents=True, exist_ok=True)  # package_path may name a folder
        atomic_write(path, text)
        ctx.changes.changed_files.append(ctx.relpath(path))
        if existing is None:
            ctx.changes.created_files.append(ctx.relpath(path))


def _has(path: Path, version: str) -> bool:
    """Does the changelog at `path` have a heading naming `version`?"""
    if not path.is_file():
        return False
    return any(
        version in changelog_file.versions_in(h.text)
        for h in changelog_file.headings(read_text(path))
    )

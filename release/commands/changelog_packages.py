"""`release changelog` in independent mode: each package's own changelog, from the commits
that touched its folder (release.steps.changelog.scope) and cut at its own tags
(release.tools.cliff_releases), written beside its manifest; with `[changelog] root = true`
the repository's changelog too, every package's releases in it by date.

`--package NAME` keeps to one package; `--unreleased` shows the unreleased sections instead
(each under its package's name when there are several); `--output` writes one package's
text there, as lockstep writes the repository's.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from release.base.errors import BadInput
from release.base.fsutil import atomic_write
from release.commands.result import ChangelogResult
from release.core.plan.independent import PackagePlan
from release.core.project import changelog_file
from release.core.settings import config as config_module
from release.steps.changelog.root import root_clash, wanted
from release.steps.changelog.scope import package_changelog, path_filters
from release.tools import cliff, cliff_releases
from release.tools.git import Git

Filters = Callable[[PackagePlan], tuple[list[str], list[str]]]  # include, exclude globs


def package_changelogs(
    git: Git,
    cfg: config_module.Config,
    plans: list[PackagePlan],
    *,
    unreleased: bool,
    output: Path | None,
    package: str | None,
) -> ChangelogResult:
    own = git.root / cfg.changelog.config
    config = own if own.is_file() else cliff.default_config()
    cliff.load_config(config)  # a malformed cliff.toml is one clear line, not a Rust backtrace
    chosen = plans if package is None else [named(plans, package)]
    folders = [p.package.root for p in plans]

    def filters(plan: PackagePlan) -> tuple[list[str], list[str]]:
        return path_filters(plan.package.root, folders, cfg.version.shared_paths)

    if unreleased:
        text = unreleased_text(git, config, chosen, filters, titled=package is None)
        return _written_to(output, text)
    if output is not None and package is None:
        raise BadInput(
            "--output writes one package's changelog: name it with --package",
            hint="without --output, each package's changelog is written beside its manifest",
        )
    history = cliff_releases.History(git)

    def releases(plan: PackagePlan) -> list[cliff_releases.Release]:
        include, exclude = filters(plan)
        return cliff_releases.package_releases(history, config, plan.fmt, include, exclude)

    with ThreadPoolExecutor(max_workers=8) as pool:  # each package is two git-cliff runs
        found = list(pool.map(releases, chosen))
        if output is not None:
            return _written_to(output, cliff_releases.render(git.root, config, found[0]))
        targets = [
            (package_changelog(git.root, cfg, plan.package), made)
            for plan, made in zip(chosen, found, strict=True)
            if made  # a package without a commit or a tag gets no file
        ]
        if package is None and wanted(cfg) and any(found):
            root = git.root / cfg.changelog.path
            for plan in chosen:
                if package_changelog(git.root, cfg, plan.package) == root:
                    raise root_clash(cfg, plan.package.name)
            targets.append((root, cliff_releases.merged(found)))
        texts = list(pool.map(lambda t: cliff_releases.render(git.root, config, t[1]), targets))
    written = []
    for (path, _), text in zip(targets, texts, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)  # package_path may name a folder
        atomic_write(path, text)
        written.append(path.relative_to(git.root).as_posix())
    return ChangelogResult("", None, written=written)


def named(plans: list[PackagePlan], name: str) -> PackagePlan:
    for plan in plans:
        if plan.package.name == name:
            return plan
    raise BadInput(
        f"--package {name!r} is not a package of this repository",
        hint="packages: " + ", ".join(sorted(p.package.name for p in plans)),
    )


def unreleased_text(
    git: Git,
    config: Path,
    plans: list[PackagePlan],
    filters: Filters,
    *,
    titled: bool,
) -> str:
    """Each package's commits since its last tag (prereleases count, as in lockstep);
    several packages each under a `# name` title, those with nothing left out."""

    def section(plan: PackagePlan) -> str:
        include, exclude = filters(plan)
        return cliff.render(
            git.root,
            config,
            rev_range=f"{plan.latest.tag}..HEAD" if plan.latest else None,
            tag_pattern=plan.fmt.regex,
            strip="all",
            include_paths=include,
            exclude_paths=exclude,
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        sections = list(pool.map(section, plans))
    if not titled:
        return sections[0]
    return "".join(
        f"# {plan.package.name}\n\n{text.strip(chr(10))}\n\n"
        for plan, text in zip(plans, sections, strict=True)
        if has_entries(text)
    )


def has_entries(section: str) -> bool:
    """Whether a rendered section says more than its headings (git-cliff heads a range
    without commits all the same)."""
    spans = [(h.start, h.end) for h in changelog_file.headings(section)]
    rest = section
    for start, end in reversed(spans):
        rest = rest[:start] + rest[end:]
    return bool(rest.strip())


def _written_to(output: Path | None, text: str) -> ChangelogResult:
    if output is not None:
        atomic_write(output.resolve(), text)
    return ChangelogResult(text, output)

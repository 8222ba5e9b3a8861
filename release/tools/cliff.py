"""git-cliff, the only changelog engine: reads commits and renders sections.

This is the only module that runs the git-cliff binary (shipped by the `git-cliff` PyPI
package). We always hand it an explicit revision range: git-cliff's own `--unreleased`
counts from the newest tag even when that tag is not on the branch, and its cost grows with
the number of tags in the history it walks.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from release.base import _toml
from release.base.errors import ConfigError
from release.base.secrets import redact
from release.tools import cliff_read, cliff_unreadable, cliff_warnings
from release.tools.commit import Commit as Commit  # re-exported: cliff.Commit
from release.tools.run import Completed, MissingTool, run, which


def _run(args: Sequence[str], **options: Any) -> Completed:
    """git-cliff without our secrets in its environment: a cliff.toml's preprocessors
    (`replace_command`) run shell commands, by git-cliff's design; its log at WARN
    (cliff_warnings.log_env)."""
    env = cliff_warnings.log_env()
    env.update(options.pop("env", None) or {})
    return run(args, withhold_secrets=True, env=env, **options)


def binary() -> str:
    path = which("git-cliff", own_first=True)  # the version pyproject pins, not one on PATH
    if path is None:
        raise MissingTool(
            "git-cliff is not installed",
            hint="pip install git-cliff (release-toolkit depends on it; reinstall release-toolkit)",
        )
    return path


def version() -> str:
    return _version_of(binary())


@functools.cache  # one binary's version, asked once a process (each ask is a process)
def _version_of(path: str) -> str:
    return _run([path, "--version"]).stdout.strip().removeprefix("git-cliff ").strip()


_DATA = Path(__file__).resolve().parent.parent / "data"  # shipped as package data


def _read_config() -> Path:
    return _DATA / "read-commits.toml"


def default_config() -> Path:
    """The built-in changelog config, used when the project has no cliff.toml."""
    return _DATA / "cliff.toml"


def rst_config() -> Path:
    """The built-in config for a reStructuredText changelog (`release init` copies it)."""
    return _DATA / "cliff-rst.toml"


# A tag pattern no tag can match: the range is already decided, so git-cliff need not sort
# commits into releases (each matching tag costs it time on a long history).
_NO_TAG = "^$release-toolkit-no-tag"


def read_commits(repo: Path, rev_range: str | None) -> list[Commit]:
    """Every commit in `rev_range` (all of HEAD's history when None), oldest first: parsed by
    git-cliff, read from a JSON render rather than `--context` (release.tools.cliff_read)."""
    # The read config has no header, footer or postprocessors: `--body` is all it takes.
    args = [binary(), "--config", str(_read_config()), "--body", cliff_read.COMMITS_BODY]
    args += ["--tag-pattern", _NO_TAG]
    if rev_range:
        args += ["--", rev_range]
    proc = _run(args, cwd=repo, what="git-cliff")
    commits = [_commit(raw) for raw in cliff_read.commit_rows(proc.stdout)]
    return cliff_unreadable.read_again(repo, commits)


def release_sizes(repo: Path, config: Path, rev_range: str, tag_pattern: str) -> dict[str, int]:
    """How many commits each release of `rev_range` keeps with the project's config (its
    parsers may skip them all), by version; a release git-cliff dropped is absent."""
    with cliff_read.rendering(config, cliff_read.SIZES_BODY) as sizes:
        args = [binary(), "--config", str(sizes), "--tag-pattern", tag_pattern]
        proc = _run([*args, "--", rev_range], cwd=repo, check=False)
    if proc.returncode != 0:
        raise _render_error(proc.stderr or proc.stdout, config)
    return {str(version): count for version, count in cliff_read.json_lines(proc.stdout)}


def _commit(raw: dict[str, Any]) -> Commit:
    conventional = bool(raw.get("conventional"))
    message = str(raw.get("raw_message") or raw.get("message") or "")
    return Commit(
        id=str(raw["id"]),
        type=str(raw["group"]) if conventional and raw.get("group") else None,
        scope=raw.get("scope") if conventional else None,
        description=str(raw.get("message") or ""),
        breaking=bool(raw.get("breaking")) if conventional else False,
        merge=bool(raw.get("merge_commit")),
        summary=message.splitlines()[0] if message else "",
    )


def load_config(path: Path) -> dict[str, Any]:
    """Parse a cliff.toml, turning a syntax error into one line with the file and line."""
    data = _toml.load(
        path, hint="fix the syntax, or delete the file to use release-toolkit's default"
    )
    if not isinstance(data.get("changelog", {}), dict) or "body" not in data.get("changelog", {}):
        raise ConfigError(
            f"{path.name} has no [changelog] body template",
            hint="add a [changelog] table with a body (see `release init` for a complete example)",
            where=str(path),
        )
    return data


def render(
    repo: Path,
    config: Path,
    *,
    rev_range: str | None,
    tag_pattern: str,
    tag: str | None = None,
    ignore_tags: str | None = None,
    strip: str | None = None,
    include_paths: Sequence[str] = (),
    exclude_paths: Sequence[str] = (),
    unreadable: Sequence[Commit] = (),
) -> str:
    """Render changelog text for `rev_range` with the project's config: `A..B`, or a full
    commit id for all of its ancestors (cliff_history), or None for the whole history.
    `include_paths`/`exclude_paths`: globs of changed files (paths_args). `unreadable`:
    commits git-cliff reads without a message (cliff_unreadable), rendered from git's."""
    args = [binary(), "--config", str(config), "--tag-pattern", tag_pattern]
    for commit in unreadable:
        args += ["--skip-commit", commit.id, "--with-commit", commit.unreadable or ""]
    if tag:
        args += ["--tag", tag]
    if ignore_tags:
        args += ["--ignore-tags", ignore_tags]
    if strip:
        args += ["--strip", strip]
    args += paths_args(include_paths, exclude_paths)
    if rev_range:
        args += ["--", rev_range]  # never read as one more value of a preceding option
    if unreadable and tag:
        context = _run([*args[:1], "--context", *args[1:]], cwd=repo, check=False)
        cliff_warnings.collect(context.stderr)
        if context.returncode == 0:
            releases = cliff_unreadable.into_release(json.loads(context.stdout), list(unreadable))
            return render_context(repo, config, releases, strip)
        raise _render_error(context.stderr or context.stdout, config)
    proc = _run(args, cwd=repo, check=False)
    cliff_warnings.collect(proc.stderr)
    if proc.returncode == 0:
        return proc.stdout
    raise _render_error(proc.stderr or proc.stdout, config)


def paths_args(include: Sequence[str], exclude: Sequence[str]) -> list[str]:
    """git-cliff keeps a commit when one of its changed files matches an include glob (any,
    when none is given) and no exclude glob: one package's commits in a monorepo. Each glob
    is its own option: `--include-path` takes several values and would swallow the next."""
    args: list[str] = []
    for pattern in include:
        args += ["--include-path", pattern]
    for pattern in exclude:
        args += ["--exclude-path", pattern]
    return args


def context(
    repo: Path,
    config: Path,
    *,
    rev_range: str | None,
    include_paths: Sequence[str] = (),
    exclude_paths: Sequence[str] = (),
    tag_pattern: str = _NO_TAG,
    skip: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """git-cliff's context (`--context`) of `rev_range` with the project's config: its
    parsers and filters applied, every commit in one release unless `tag_pattern` matches
    tags; `skip`: commits left out."""
    args = [binary(), "--config", str(config), "--context", "--tag-pattern", tag_pattern]
    args += [arg for oid in skip for arg in ("--skip-commit", oid)]
    args += paths_args(include_paths, exclude_paths)
    if rev_range:
        args += ["--", rev_range]
    proc = _run(args, cwd=repo, check=False)
    cliff_warnings.collect(proc.stderr)
    if proc.returncode != 0:
        raise _render_error(proc.stderr or proc.stdout, config)
    releases: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    return releases


def render_context(
    repo: Path, config: Path, releases: list[dict[str, Any]], strip: str | None = None
) -> str:
    """The changelog of `releases` (git-cliff's context shape, newest first), rendered by
    git-cliff's templates (`--from-context`, read from stdin)."""
    args = [binary(), "--config", str(config), "--from-context", "-"]
    if strip:
        args += ["--strip", strip]
    proc = _run(args, cwd=repo, input=json.dumps(releases), check=False)
    cliff_warnings.collect(proc.stderr)
    if proc.returncode == 0:
        return proc.stdout
    raise _render_error(proc.stderr or proc.stdout, config)


def _render_error(output: str, config: Path) -> ConfigError:
    from release.tools import cliff_errors  # only when git-cliff failed

    told = cliff_errors.explain(redact(output), version(), config.name)
    return ConfigError(
        f"git-cliff could not render the changelog with {config.name}: {told.message}",
        hint=told.hint or "check the [changelog] templates in the config",
        where=str(config),
        detail=told.cause,
    )

"""git-cliff, the only changelog engine: reads commits (`--context`) and renders sections.

This is the only module that runs the git-cliff binary (shipped by the `git-cliff` PyPI
package). We always hand it an explicit revision range: git-cliff's own `--unreleased`
counts from the newest tag even when that tag is not on the branch, and its cost grows with
the number of tags in the history it walks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from release.core import _toml
from release.core.errors import ConfigError
from release.core.secrets import redact
from release.tools import cliff_warnings
from release.tools.run import MissingTool, run, which


@dataclass(frozen=True)
class Commit:
    """One commit as git-cliff parsed it."""

    id: str
    type: str | None  # the conventional type; None for a non-conventional message
    scope: str | None
    description: str
    breaking: bool
    merge: bool
    summary: str  # the first line of the raw message

    @property
    def conventional(self) -> bool:
        return self.type is not None


def binary() -> str:
    path = which("git-cliff", own_first=True)  # the version pyproject pins, not one on PATH
    if path is None:
        raise MissingTool(
            "git-cliff is not installed",
            hint="pip install git-cliff (release-toolkit depends on it; reinstall release-toolkit)",
        )
    return path


def version() -> str:
    return run([binary(), "--version"]).stdout.strip().removeprefix("git-cliff ").strip()


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
    """Every commit in `rev_range` (all of HEAD's history when None), oldest first."""
    args = [binary(), "--config", str(_read_config()), "--context", "--tag-pattern", _NO_TAG]
    if rev_range:
        args += ["--", rev_range]
    proc = run(args, cwd=repo, what="git-cliff --context")
    releases: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    commits: list[Commit] = []
    # git-cliff lists releases newest first; we want the whole range oldest first.
    for rel in reversed(releases):
        for raw in rel.get("commits", []):
            commits.append(_commit(raw))
    return commits


def release_sizes(repo: Path, config: Path, rev_range: str, tag_pattern: str) -> dict[str, int]:
    """How many commits each release of `rev_range` keeps with the project's config (its
    parsers may skip them all), by version; a release git-cliff dropped is absent."""
    args = [binary(), "--config", str(config), "--context", "--tag-pattern", tag_pattern]
    proc = run([*args, "--", rev_range], cwd=repo, what="git-cliff --context")
    releases: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    return {str(r.get("version")): len(r.get("commits") or []) for r in releases}


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
) -> str:
    """Render changelog text for `rev_range` with the project's config: `A..B`, or a full
    commit id for all of its ancestors (cliff_history), or None for the whole history.
    `include_paths`/`exclude_paths`: globs of changed files (paths_args)."""
    args = [binary(), "--config", str(config), "--tag-pattern", tag_pattern]
    if tag:
        args += ["--tag", tag]
    if ignore_tags:
        args += ["--ignore-tags", ignore_tags]
    if strip:
        args += ["--strip", strip]
    args += paths_args(include_paths, exclude_paths)
    if rev_range:
        args += ["--", rev_range]  # never read as one more value of a preceding option
    proc = run(args, cwd=repo, check=False)
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
) -> list[dict[str, Any]]:
    """git-cliff's context (`--context`) of `rev_range` with the project's config: its
    parsers and filters applied, every commit in one release (no tag is matched)."""
    args = [binary(), "--config", str(config), "--context", "--tag-pattern", _NO_TAG]
    args += paths_args(include_paths, exclude_paths)
    if rev_range:
        args += ["--", rev_range]
    proc = run(args, cwd=repo, check=False)
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
    proc = run(args, cwd=repo, input=json.dumps(releases), check=False)
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

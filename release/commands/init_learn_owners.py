"""Whose version an extra file states, in independent mode: tauri's release commits bump
`crates/tauri-cli/metadata-v2.json` (`"version"` is the CLI's, `"tauri"` the `tauri`
crate's) and `config.schema.json` (its `$id` URL names `tauri`'s version), each time beside
other packages' releases. A file's owner is the package whose released version its bumped
lines name in every release that bumped it; one `[[manifests.extra]]` per owner, each on the
line that states that package's version now."""

from __future__ import annotations

import re
from collections.abc import Callable

from release.commands.replay_scratch import Found
from release.core.project.packages import Package
from release.tools.git import Git

Extra = tuple[str, str, str | None]  # (path, search, package)
_HUNK_FILE = re.compile(r"^\+\+\+ (?:b/)?(.*)$")


def with_owners(
    git: Git,
    found: list[Found],
    extra: list[Extra],
    packages: list[Package],
    search_line: Callable[[str, set[str]], str | None],
) -> list[Extra]:
    """`extra` with each file of no single owner split into one entry per owner (`search_line`:
    the line of a file that states one of some versions, as a search template)."""
    unowned = {path for path, _, package in extra if package is None}
    if not unowned:
        return extra
    owners = _owners(git, found, unowned)
    current = {p.name: str(p.version) for p in packages}
    result: list[Extra] = []
    for path, search, package in extra:
        named = sorted(n for n in owners.get(path, set()) if n in current)
        lines = [] if package is not None else _lines(path, named, current, search_line)
        result += lines or [(path, search, package)]
    return result


def _lines(
    path: str,
    named: list[str],
    current: dict[str, str],
    search_line: Callable[[str, set[str]], str | None],
) -> list[Extra]:
    found: list[Extra] = []
    for name in named:
        line = search_line(path, {current[name]})
        if line is not None and line not in {s for _, s, _ in found}:
            found.append((path, line, name))
    return found


def _owners(git: Git, found: list[Found], paths: set[str]) -> dict[str, set[str]]:
    """path -> the packages whose released version the file's added lines named, in every
    release whose lines named any."""
    owners: dict[str, set[str]] = {}  # named in every release
    anyone: dict[str, set[str]] = {}  # named in one: when no package is named in every one
    for release in found:
        diff = git.out(
            "diff",
            "-U0",
            "--no-renames",
            f"{release.commit}^1",
            release.commit,
            "--",
            *sorted(paths),
        )
        added: dict[str, list[str]] = {}
        path = None
        for line in diff.splitlines():
            if match := _HUNK_FILE.match(line):
                path = match.group(1)
            elif path and line.startswith("+"):
                added.setdefault(path, []).append(line[1:])
        for path, lines in added.items():
            text = "\n".join(lines)
            named = {name for name, (_, v) in release.tags.items() if _names(text, str(v))}
            if named:
                owners[path] = owners[path] & named if path in owners else named
                anyone.setdefault(path, set()).update(named)
    return {path: owners[path] or anyone[path] for path in owners}


def _names(text: str, version: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(version)}(?![\w-]|\.\d)", text) is not None

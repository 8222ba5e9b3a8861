"""The parts of the written config that come from the project's last releases (the manifests
its release commits bumped), and the replay that says how well that config would have done."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from release.commands.init_detect import Detected

REPLAYED = 5  # the releases init replays with the config it wrote


def inline_table(table: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table.items()) + " }"


def learned_line(key: str, table: dict[str, str], comment: str) -> str:
    """`key = { name = "value" }  # comment`, or nothing for an empty table."""
    return f"{key} = {inline_table(table)}  # {comment}\n" if table else ""


def no_changelog_line(found: Detected) -> str:
    """`enabled = false` when the project's last releases (3 or more) wrote no changelog: it
    has none (nuxt: its notes are GitHub releases), or the one it has is written by hand
    between releases or no longer (commitizen's CHANGELOG.md stops at 4.13.9)."""
    learned = found.learned
    if found.packages or learned.changelog or learned.releases < 3:
        return ""
    if found.changelog is None:
        return f"enabled = false  # its last {learned.releases} releases wrote no changelog\n"
    if found.changelog_format == "text":
        return ""  # disabled for its markup, said below
    return (
        f"enabled = false  # its last {learned.releases} releases did not write {found.changelog}\n"
    )


def also_line(found: Detected) -> str:
    """Lockstep: the other changelogs the release commits write the section in."""
    learned = found.learned
    if found.packages or not learned.also or found.changelog != learned.changelog:
        return ""
    return f"also = {_list(learned.also)}  # the last releases write these too\n"


def _list(paths: list[str]) -> str:
    return "[" + ", ".join(json.dumps(p) for p in paths) + "]"


def manifests_section(found: Detected, npm_detected: str) -> str:
    """The manifests detected, and those the last release commits bumped besides."""
    layout, rel, learned = found.layout, found.rel, found.learned
    python = [rel(p) for p in layout.python] + learned.python
    files = [rel(p) for p in layout.version_files] + learned.version_files
    npm_paths = [rel(p) for p in found.npm]
    if learned.releases >= 2:  # a package.json no release commit bumped (a private root) is out
        npm_paths = [p for p in npm_paths if p in learned.bumped]
    changed = learned.npm or npm_paths != [rel(p) for p in found.npm]
    npm = (
        npm_detected
        if found.packages or not changed
        else f"npm = {_list(npm_paths + learned.npm)}\n"
    )
    extra = "".join(
        f"\n[[manifests.extra]]           # bumped by the last release commits\n"
        f"path = {json.dumps(path)}\nsearch = {json.dumps(search)}\n"
        + (f"package = {json.dumps(package)}\n" if package else "")
        for path, search, package in learned.extra
    )
    return (
        f"cargo = {json.dumps(rel(layout.cargo) if layout.cargo else '')}\n"
        f"python = {_list(python)}\nversion_files = {_list(files)}\n{npm}{extra}"
    )


def learned_lines(found: Detected) -> list[str]:
    """What the last release commits taught, in words (for init's "found:" list)."""
    learned = found.learned
    if not learned.releases:
        return learned.shared_names
    bumped = learned.npm + learned.python + learned.version_files + [p for p, _, _ in learned.extra]
    lines = [
        f"{name} tagged like {fmt!r} (its last release's tag)"
        for name, fmt in learned.tag_formats.items()
    ]
    if bumped:
        lines.append(f"release commits also bump {', '.join(bumped)}")
    if learned.commit_message:
        lines.append(f"release commit message {learned.commit_message!r}")
    lines += [f"{name} writes its releases in {path}" for name, path in learned.changelogs.items()]
    return learned.shared_names + [
        f"from the last {learned.releases} release(s): {line}" for line in lines
    ]


def replay_summary(root: Path, found: Detected) -> list[str]:
    """How well the config just written would have done on the project's last releases."""
    from release.base.errors import ReleaseError
    from release.commands.replay import replay

    if not found.learned.releases:
        return []
    try:
        replayed = replay(root, last=REPLAYED)
    except ReleaseError as exc:
        return [f"the last releases could not be replayed: {exc.message}"]
    summary = replayed.summary()
    total = summary["releases"]["replayed"]
    agree = ", ".join(f"{a} {n}/{total}" for a, n in summary["agree"].items())
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(summary["differences"].items()))
    return [
        f"replayed the last {total} release(s) with this config: {agree} agree"
        + (f"; differences: {kinds} (`release replay` explains each)" if kinds else "")
    ]

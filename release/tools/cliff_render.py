"""The releases of release.tools.cliff_context rendered by git-cliff (`--from-context`),
the project's templates as one run uses them.

One run writes the header, each release's body (which sees only its release), then the
footer. With a plain-text header and footer the releases can be rendered in groups and
joined: the newest with the header (`--strip footer`), the middle bare (`--strip all`), the
oldest with the footer (`--strip header`), on both cores. The text of the older releases is
kept (`cache`), with a digest of each release it holds, and reused while those releases are
the same: a later run renders only the releases after them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from release.tools.cliff_context import Section
from release.tools.cliff_walk import Tag
from release.tools.run import text_of

FRESH = 3  # the newest releases (the unreleased section first) are rendered every time
MAX_NEW = 6  # more new releases than this since the kept text: render all and keep anew

Found = Sequence[Section]


def render(
    root: Path,
    config: Path,
    data: dict[str, Any],
    found: Found,
    newest: bool,
    pool: Executor,
    kept: Path | None,
) -> str | None:
    from release.tools import cliff
    from release.tools.cliff_context import context_json, run_cliff

    args = [cliff.binary(), "--config", str(config), "--from-context", "-"]

    def text(strip: str | None, group: Found) -> str | None:
        command = args if strip is None else [*args, "--strip", strip]
        output = run_cliff(command, root, context_json(group, newest))
        return None if output is None else text_of(output)

    def part(group: Found, strip: str) -> Any:
        return pool.submit(text, strip, group)

    changelog = data.get("changelog", {})
    framed = any(
        "{{" in str(changelog.get(key) or "") or "{%" in str(changelog.get(key) or "")
        for key in ("header", "footer")
    )
    if framed or len(found) <= FRESH:
        return text(None, found)
    keys = [_digest(tag, rows, previous) for tag, rows, previous in found]
    old = _load(kept, keys)
    if old is not None:
        top = part(found[len(old[0]) :], "footer").result()
        return None if top is None else top + old[1]
    stable = len(found) - FRESH
    middle = _halve(found[:stable])
    parts = [part(found[stable:], "footer"), part(found[middle:stable], "all")]
    parts.append(part(found[:middle], "header"))
    texts = [p.result() for p in parts]
    if any(text is None for text in texts):
        return None
    if kept is not None:
        _keep(kept, keys[:stable], (texts[1] or "") + (texts[2] or ""))
    return "".join(text or "" for text in texts)


def _halve(group: Found) -> int:
    """Where `group` (oldest first) splits into two of about the same number of commits."""
    total, seen = sum(len(rows) for _, rows, _ in group), 0
    for index, (_, rows, _) in enumerate(group):
        seen += len(rows)
        if seen >= total / 2:
            return max(1, index)
    return max(1, len(group) - 1)


def _digest(tag: Tag | None, rows: list[bytes], previous: Tag | None) -> str:
    """What a release's body sees: its tag, its commits, the release before."""
    seen = [t.__dict__ if t else None for t in (tag, previous)]
    return hashlib.sha256(json.dumps(seen).encode() + b"\n" + b"\n".join(rows)).hexdigest()


def _load(path: Path | None, keys: list[str]) -> tuple[list[str], str] | None:
    """The kept text of the oldest releases, when they are still the oldest of `keys` and
    few enough releases came after them."""
    if path is None or not path.is_file():
        return None
    kept = json.loads(path.read_text(encoding="utf-8"))
    old: list[str] = kept["keys"]
    if keys[: len(old)] != old or not 0 < len(keys) - len(old) <= MAX_NEW:
        return None
    return old, str(kept["text"])


def _keep(path: Path, keys: list[str], text: str) -> None:
    from release.base.fsutil import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob("render-*.json"):
        if stale != path:
            stale.unlink(missing_ok=True)
    atomic_write(path, json.dumps({"keys": keys, "text": text}))

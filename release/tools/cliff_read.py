"""Reading git-cliff's parsed commits without `--context`.

git-cliff 2.14 computes the diff statistics of every commit before it writes `--context`
(3.85 s for 900 commits of nuxt/nuxt). A render does not: we render the same range with a
copy of the config whose only change is the template — a body that prints each release's
commits as JSON lines, no header, footer or postprocessors — so git-cliff's own parsing
(preprocessors, parsers, skip rules, filters, `protect_breaking_commits`) decides exactly
as it does for `--context` (tests/tools/test_cliff_read.py compares both).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The fields the toolkit reads of a commit, each JSON-encoded by Tera; one JSON array per
# release on its own line (a JSON string never holds a raw newline). A non-conventional
# commit has no `breaking` or `scope`: null, as `--context` leaves them out.
_FIELDS = ("id", "group", "scope", "message", "breaking", "merge_commit", "conventional")
_COMMIT = (
    "{"
    + ",".join(
        f'"{name}":{{% if c.{name} is defined %}}{{{{ c.{name} | json_encode() }}}}'
        "{% else %}null{% endif %}"
        for name in _FIELDS
    )
    + ',"raw_message":{{ c.raw_message | split(pat="\n") | first | json_encode() }}'
    + "}"
)
COMMITS_BODY = (
    "[{% for c in commits %}{% if not loop.first %},{% endif %}" + _COMMIT + "{% endfor %}]\n"
)
# One line per release: its version (null when unreleased) and how many commits it keeps.
SIZES_BODY = "[{{ version | json_encode() }},{{ commits | length }}]\n"


@contextmanager
def rendering(config: Path, body: str, edit: Callable[[Any], None] | None = None) -> Iterator[Path]:
    """A temporary copy of `config` that renders `body` and nothing else: the [git] table
    (and every other) is left as it is, but for what `edit` (given the tomlkit document)
    adds."""
    import tempfile  # only here: `release next` need not import them

    import tomlkit

    data = tomlkit.parse(config.read_text(encoding="utf-8"))
    changelog = data.get("changelog")
    if not isinstance(changelog, dict):
        changelog = tomlkit.table()
        data["changelog"] = changelog
    for key in ("header", "footer", "postprocessors", "output", "render_always"):
        changelog.pop(key, None)
    changelog["body"] = body
    changelog["trim"] = False
    if edit is not None:
        edit(data)
    with tempfile.TemporaryDirectory(prefix="release-cliff-") as tmp:
        copy = Path(tmp) / config.name
        copy.write_text(tomlkit.dumps(data), encoding="utf-8")
        yield copy


@dataclass(frozen=True)
class ConfigEdit:
    """A change to the config besides the template: on its text (None where it cannot be
    made there: then on a tomlkit document of it, a round trip that costs more)."""

    text: Callable[[str, dict[str, Any]], str | None]
    document: Callable[[Any], None]


@contextmanager
def rendering_args(
    config: Path, data: dict[str, Any], body: str, edit: ConfigEdit | None = None
) -> Iterator[list[str]]:
    """git-cliff's arguments to render `body` and nothing else with `config` (parsed:
    `data`), changed by `edit`: the config itself (or its edited text), its body replaced
    and header and footer stripped, where nothing else of [changelog] touches the output;
    else a copy (`rendering`), which costs a TOML round trip."""
    changelog = data.get("changelog") or {}
    if not any(changelog.get(key) for key in ("postprocessors", "output", "render_always")):
        # `trim` trims each line of the template: `body` has no space to lose
        plain = ["--body", body, "--strip", "all"]
        if edit is None:
            yield ["--config", str(config), *plain]
            return
        edited = edit.text(config.read_text(encoding="utf-8"), data)
        if edited is not None:
            import os
            import tempfile

            # a file, not a folder: 0.2 ms, where a temporary folder costs 3 ms
            fd, written = tempfile.mkstemp(prefix="release-cliff-", suffix=".toml")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(edited)
                yield ["--config", written, *plain]
            finally:
                os.unlink(written)
            return
    with rendering(config, body, edit.document if edit else None) as copy:
        yield ["--config", str(copy)]


def json_lines(output: str) -> list[Any]:
    """Each release's JSON value, in git-cliff's order (newest release first)."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    index, end = 0, len(output)
    while True:
        while index < end and output[index].isspace():
            index += 1
        if index >= end:
            return values
        value, index = decoder.raw_decode(output, index)
        values.append(value)


def commit_rows(output: str) -> list[dict[str, Any]]:
    """The commits of a COMMITS_BODY render, oldest release first."""
    releases: Sequence[list[dict[str, Any]]] = json_lines(output)
    return [commit for release in reversed(releases) for commit in release]

"""The one line of a failed program's output that heads the error."""

from __future__ import annotations

import sys

import pytest

from release.base.errors import ToolError
from release.tools.run import run

GIT = [
    "fatal: '/tmp/no-such-tap.git' does not appear to be a git repository",
    "fatal: Could not read from remote repository.",
    "",
    "Please make sure you have the correct access rights",
    "and the repository exists.",
]
CARGO = [
    "   Packaging lens-metrics v1.2.0",
    "error: failed to prepare local package for uploading",
    "",
    "Caused by:",
    "  no matching package named `lens-core` found",
    "help: if you want to publish to an alternate registry, see `cargo help publish`",
]
PANIC = [
    "thread 'main' (18817) panicked at git-cliff-core/src/changelog.rs:583:18:",
    "Could not get github metadata: HttpClientMiddlewareError",
    "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.",
]


@pytest.mark.parametrize(
    ("lines", "headline"),
    [
        (GIT, GIT[0]),
        (CARGO, CARGO[1]),
        (PANIC, PANIC[1]),
        (["warning: x", "something broke"], "something broke"),
    ],
)
def test_the_error_not_the_advice_heads_the_message(lines: list[str], headline: str) -> None:
    script = "import sys; sys.stderr.write(sys.argv[1]); sys.exit(3)"
    with pytest.raises(ToolError) as err:
        run([sys.executable, "-c", script, "\n".join(lines)], what="the tool")
    assert err.value.message == f"the tool failed: {headline}"


def test_output_is_read_as_text_mode_reads_it() -> None:
    # Bytes decoded by hand (speed): invalid UTF-8 replaced, \r\n and \r read as \n.
    script = (
        "import sys; sys.stdout.buffer.write(b'a\\r\\nb\\rc\\xff\\n' + sys.stdin.buffer.read())"
    )
    done = run([sys.executable, "-c", script], input="é\n")
    assert done.stdout == "a\nb\nc\ufffd\né\n"

"""The programs a cliff.toml's commands start, and git-cliff's warnings read from its stderr."""

from __future__ import annotations

import pytest

from release.tools import cliff_warnings
from release.tools.cliff_commands import commands, programs


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("typos --write-changes -", ["typos"]),
        ("LANG=C sed 's/a|b/c/' | tr a b", ["sed", "tr"]),
        ("echo x && ./scripts/fix.sh; true", ["./scripts/fix.sh"]),
        ("$HOME/bin/x", []),
    ],
)
def test_programs(command: str, expected: list[str]) -> None:
    assert programs(command) == expected


def test_commands_of_a_cliff_toml() -> None:
    data = {
        "git": {
            "commit_preprocessors": [
                {"pattern": "x", "replace": "y"},
                {"pattern": ".*", "replace_command": "typos -"},
            ]
        },
        "changelog": {"postprocessors": [{"pattern": "x", "replace_command": "prettier"}]},
    }
    assert commands(data) == ["typos -", "prettier"]


def test_warnings_of_git_cliff() -> None:
    stderr = (
        "\x1b[32;1mINFO \x1b[0m git_cliff > Using configuration from: cliff.toml\n"
        "sh: 1: typos: not found\n"
        "\x1b[33;1mWARN \x1b[0m \x1b[1mgit_cliff_core::changelog\x1b[0m > process_commits: "
        "3 commit(s) were skipped due to I/O error(s) (run with `-vv` for details)\n"
        "\x1b[33;1mWARN \x1b[0m git_cliff_core::changelog > process_commits: "
        "7 commit(s) were skipped due to parse error(s) (run with `-vv` for details)\n"
    )  # the last: merge commits and others not conventional, as filter_unconventional wants
    cliff_warnings.take()
    cliff_warnings.collect(stderr)
    cliff_warnings.collect(stderr)  # each once
    warnings = cliff_warnings.take()
    assert warnings == ["sh: 1: typos: not found", "3 commit(s) were skipped due to I/O error(s)"]
    assert cliff_warnings.skipped(warnings) == 3 and cliff_warnings.take() == []

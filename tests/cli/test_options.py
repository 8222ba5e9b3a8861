"""The fast commands' options, declared once: argv read with the declarations, and anything
they do not describe left to typer (which says what is wrong)."""

from __future__ import annotations

from pathlib import Path

from release.cli.options import ARGUMENT, FAST, parse


def test_the_declared_options_are_read() -> None:
    assert parse(FAST["next"], []) == {"pre": None, "json": False}
    assert parse(FAST["next"], ["--pre", "rc", "--json"]) == {"pre": "rc", "json": True}
    assert parse(FAST["next"], ["--pre=beta"]) == {"pre": "beta", "json": False}
    found = parse(FAST["changelog"], ["-o", "CHANGES.md", "--unreleased"])
    assert found == {"unreleased": True, "output": Path("CHANGES.md"), "package": None}
    assert parse(FAST["changelog"], ["--output=x.md", "--package", "core"]) == {
        "unreleased": False,
        "output": Path("x.md"),
        "package": "core",
    }


def test_anything_else_goes_to_typer() -> None:
    for args in (["--help"], ["--pre"], ["--json=1"], ["--pre", "--json"], ["--output="], ["x"]):
        assert parse(FAST["next"] + FAST["changelog"], args) is None, args


def test_typer_builds_the_same_options() -> None:
    from click.testing import CliRunner
    from typer.main import get_command

    from release.cli.app import app

    command = get_command(app)
    help_text = CliRunner().invoke(command, ["changelog", "--help"]).output
    assert "--output" in help_text and "-o" in help_text and "--unreleased" in help_text


def test_verify_reads_its_version_and_repeated_options() -> None:
    """`release verify` starts without typer too: one argument, options given again."""
    verify = FAST["verify"]
    empty = {
        "version": None,
        "pre": None,
        "json": False,
        "skip": [],
        "only": [],
        "package": [],
        "targets_on_runners": False,
    }
    assert parse(verify, [], ARGUMENT["verify"]) == empty
    found = parse(
        verify, ["--only", "bump", "2.0.0", "--only=changelog", "--skip", "x"], ARGUMENT["verify"]
    )
    assert found == {**empty, "version": "2.0.0", "only": ["bump", "changelog"], "skip": ["x"]}
    assert parse(verify, ["--package", "a", "--package", "b"], "version") == {
        **empty,
        "package": ["a", "b"],
    }
    # a second argument, an option's value missing, an argument where none is taken: typer's
    for args in (["1.0.0", "2.0.0"], ["--only"], ["--only", "--json"], ["--", "1.0.0"]):
        assert parse(verify, args, ARGUMENT["verify"]) is None, args
    assert parse(FAST["next"], ["1.0.0"]) is None


def test_verify_without_typer_answers_as_typer_did(tmp_path: Path) -> None:
    """The same words, the same exit status, by either path (typer's: after a `--`, which the
    fast path hands over)."""
    import subprocess
    import sys

    from tests.conftest import Repo, git

    path = tmp_path / "project"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    repo = Repo(path)
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("fix: second")

    def verify(*args: str) -> tuple[int, str]:
        proc = subprocess.run(
            [sys.executable, "-m", "release", "verify", "--only", "bump", *args],
            cwd=path,
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.returncode, proc.stdout

    fast = verify("--json")
    assert fast[0] == 0 and '"version": "1.0.1"' in fast[1]
    assert verify("--json", "--") == fast  # typer's path

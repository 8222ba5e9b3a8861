"""The fast commands' options, declared once: argv read with the declarations, and anything
they do not describe left to typer (which says what is wrong)."""

from __future__ import annotations

from pathlib import Path

from release.cli.options import FAST, parse


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

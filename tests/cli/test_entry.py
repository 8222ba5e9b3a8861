"""The fast path of `release next`: answered without the command-line framework, the HTTP
client or the rich renderer, whose imports would cost more than the answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Repo

HEAVY = (
    *("typer", "click", "rich", "httpx", "github", "gnupg", "keyring", "cyclonedx"),
    *("pydantic", "tomlkit", "markdown_it", "jsonschema", "twine", "build", "filelock"),
    *("tempfile", "shutil"),  # stdlib, yet with their archivers a millisecond of start-up
)


def imported(repo: Repo, *args: str) -> set[str]:
    code = "from release.cli.entry import main; main()"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={**os.environ},
        check=True,
    )
    return {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "cumulative" not in line
    }


def test_next_loads_nothing_heavy_even_with_a_full_config(repo: Repo) -> None:
    repo.write(
        "release.toml",
        '[docker]\nimages = ["ghcr.io/acme/tool", "docker.io/acme/tool"]\n'
        '[slack]\nenabled = true\n[github]\nrepository = "acme/tool"\n',
    )
    repo.commit("feat: first")
    modules = imported(repo, "next")
    assert "release.core.plan.planning" in modules  # it did plan the release
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert loaded == []


def _released(repo: Repo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("fix: second")
    repo.commit("feat!: third")


def test_next_as_the_program_prints_everything_before_it_leaves(repo: Repo, tmp_path: Path) -> None:
    """The program skips the interpreter's teardown once `next` has answered: its output,
    to a file or a pipe, human or JSON, is all there, and the exit status is 0."""
    _released(repo)
    out = tmp_path / "out.txt"
    with out.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "release", "next"], cwd=repo.path, stdout=handle, check=False
        )
    assert (done.returncode, out.read_text()) == (0, "2.0.0\n")
    piped = subprocess.run(
        [sys.executable, "-m", "release", "next", "--json"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["version"] == "2.0.0"


def test_next_called_in_process_returns_to_its_caller(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the program leaves early: a caller of main() (this test) gets control back."""
    from release.cli import entry

    _released(repo)
    monkeypatch.chdir(repo.path)
    monkeypatch.setattr(sys, "argv", ["release", "next"])
    entry.main()
    assert capsys.readouterr().out == "2.0.0\n"


def test_verify_starts_without_typer(repo: Repo) -> None:
    """`release verify` renders a table (rich), but reads its argv without typer, click and
    the pydantic validators typer builds of each option; it takes no release lock."""
    _released(repo)
    modules = imported(repo, "verify", "--only", "bump", "--json")
    assert "release.commands.verify" in modules  # it did verify
    unwanted = ("typer", "click", "pydantic", "filelock")
    assert sorted(m for m in modules if m.split(".")[0] in unwanted) == []

"""The fast path of `release next`: answered without the command-line framework, the HTTP
client or the rich renderer, whose imports would cost more than the answer."""

from __future__ import annotations

import os
import subprocess
import sys

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

"""The documentation: README is a short front door, docs/ builds strictly (no broken link or
anchor), and docs/ARCHITECTURE.md names every module of the package."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

# CI and .ci/run read these two lines; contributors copy them.
SCRIPTS = (
    "./scripts/demo   # copies the bundled example project into a temp dir, starts loopback "
    "crates/PyPI/Docker/GitHub/Slack services and a tap, runs `release verify` and `release cut`, "
    "shows where everything landed",
    "./scripts/test   # creates .venv, installs the project with its test extras, runs ruff, "
    "mypy and pytest",
)


def site_args(tmp_path: Path) -> list[str]:
    return ["--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")]


def test_the_docs_build_strictly(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", *site_args(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "configuration" / "index.html").is_file()


def test_the_readme_is_a_short_front_door() -> None:
    text = README.read_text()
    assert len(text.encode()) <= 12 * 1024
    for line in SCRIPTS:
        assert line in text.splitlines()
    for command in ("pipx install release-toolkit", "uv tool install release-toolkit"):
        assert command in text
    for command in ("release init", "release verify", "release cut"):
        assert command in text


def test_every_relative_link_of_the_readme_and_contributing_exists() -> None:
    for page in (README, ROOT / "CONTRIBUTING.md"):
        links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text())
        local = [link for link in links if "://" not in link]
        assert local, f"{page.name} links nowhere into the repository"
        missing = [link for link in local if not (page.parent / link).exists()]
        assert missing == [], f"{page.name} links to missing files"


def test_the_architecture_names_every_module() -> None:
    """Each module under release/ appears as `layer/module.py` (or `release/module.py`)."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    package = ROOT / "release"
    modules = [
        path.relative_to(package).as_posix()
        for path in sorted(package.rglob("*.py"))
        if path.name != "__init__.py"
    ]
    assert len(modules) > 50
    missing = [module for module in modules if f"`{module}`" not in text]
    assert missing == []

"""formulas/release-toolkit.rb, the project's own Homebrew formula: valid Ruby, a resource
for each runtime dependency, and the shape our own Homebrew step can update."""

from __future__ import annotations

import re
import subprocess
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from release.steps.homebrew import formula

ROOT = Path(__file__).resolve().parents[2]
FORMULA = ROOT / "formulas" / "release-toolkit.rb"


def test_ruby_accepts_it() -> None:
    proc = subprocess.run(["ruby", "-c", str(FORMULA)], capture_output=True, text=True)
    assert proc.returncode == 0 and "Syntax OK" in proc.stdout, proc.stderr


def test_a_resource_for_each_direct_dependency() -> None:
    text = FORMULA.read_text()
    resources = set(re.findall(r'^  resource "([^"]+)" do$', text, flags=re.MULTILINE))
    direct = {
        canonicalize_name(Requirement(r).name)
        for r in metadata.requires("release-toolkit") or []
        if "extra ==" not in r and not Requirement(r).marker
    }
    assert direct <= resources | {"certifi"}
    for block in re.findall(r'resource "[^"]+" do\n(.*?)\n  end', text, flags=re.DOTALL):
        assert re.search(
            r'url "https://files\.pythonhosted\.org/packages/.+\.(tar\.gz|zip)"', block
        )
        assert re.search(r'sha256 "[0-9a-f]{64}"', block)
    assert "virtualenv_install_with_resources" in text


def test_our_homebrew_step_finds_the_sdist_url_only() -> None:
    [download] = formula.downloads(FORMULA.read_text(), "formulas/release-toolkit.rb")
    assert download.platform.os is None and "release_toolkit-" in download.url

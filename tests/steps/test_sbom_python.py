"""A Python package's dependencies at the versions they resolve to: from its lock file, else
from an environment it is installed in, else as declared."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

from release.steps.artifacts.sbom import python_bom
from release.steps.artifacts.sbom_python import resolve

UV_LOCK = """version = 1
requires-python = ">=3.10"

[[package]]
name = "tiny"
version = "0.3.0"
source = { editable = "." }
dependencies = [{ name = "httpx" }]

[[package]]
name = "httpx"
version = "0.27.2"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "anyio" }, { name = "certifi" }]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "certifi"
version = "2024.8.30"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }
"""


def _project(tmp_path: Path, name: str, deps: list[str]) -> Path:
    pyproject = tmp_path / "pyproject.toml"
    listed = ", ".join(json.dumps(d) for d in deps)
    pyproject.write_text(
        f'[project]\nname = "{name}"\nversion = "0.3.0"\ndependencies = [{listed}]\n'
    )
    return pyproject


def test_from_uv_lock_with_purls_and_edges_and_no_dev_tools(tmp_path: Path) -> None:
    pyproject = _project(tmp_path, "tiny", ["httpx>=0.27"])
    (tmp_path / "uv.lock").write_text(UV_LOCK)
    _, text = python_bom(pyproject, 1_700_000_000)
    bom = json.loads(text)
    purls = sorted(c["purl"] for c in bom["components"])
    assert purls == [
        "pkg:pypi/anyio@4.4.0",
        "pkg:pypi/certifi@2024.8.30",
        "pkg:pypi/httpx@0.27.2",
    ]  # pytest is in the lock, but nothing the package needs reaches it
    edges = {d["ref"]: sorted(d.get("dependsOn", [])) for d in bom["dependencies"]}
    assert edges["pkg:pypi/httpx@0.27.2"] == ["pkg:pypi/anyio@4.4.0", "pkg:pypi/certifi@2024.8.30"]
    assert edges["pkg:pypi/tiny@0.3.0"] == ["pkg:pypi/httpx@0.27.2"]


def test_from_the_environment_the_package_is_installed_in(tmp_path: Path) -> None:
    """release-toolkit is installed here: its own dependencies resolve to what is installed."""
    pyproject = _project(tmp_path, "release-toolkit", ["httpx>=0.27"])
    found = resolve(pyproject, "release-toolkit", ["httpx>=0.27"])
    assert found["httpx"].version == importlib.metadata.version("httpx")
    assert found["httpx"].source == "environment"
    for name in found["httpx"].depends_on:  # its own requirements, resolved too
        assert found[name].version == importlib.metadata.version(name)
    assert {"anyio", "certifi"} <= set(found)


def test_as_declared_elsewhere(tmp_path: Path) -> None:
    pyproject = _project(tmp_path, "not-installed-here", ["attrs==24.2.0", "httpx>=0.27"])
    found = resolve(pyproject, "not-installed-here", ["attrs==24.2.0", "httpx>=0.27"])
    assert (found["attrs"].version, found["httpx"].version) == ("24.2.0", None)
    assert {f.source for f in found.values()} == {"declared"}

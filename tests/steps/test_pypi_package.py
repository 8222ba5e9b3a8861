"""Independent versions: the Python package's release builds and uploads its own wheel and
sdist to a real pypiserver, into its own dist folder; the crates' and npm package's
releases build and upload nothing, except a maturin project whose version is a crate's."""

from __future__ import annotations

import pytest

from release.core.engine.step import Skip
from release.steps.artifacts.wheels import WheelsStep
from release.steps.package_scope import maturin_crate, python_projects
from release.steps.pypi.step import PypiStep
from tests.services.pypi import PypiServer

from ..conftest import Repo
from .package_repo import contexts, independent

MATURIN = """[build-system]
requires = ["maturin>=1.0,<2.0"]
build-backend = "maturin"

[project]
name = "lens-bin"
dynamic = ["version"]

[tool.maturin]
bindings = "bin"
manifest-path = "../crates/cli/Cargo.toml"
"""


def test_only_the_python_package_s_files_are_built_and_uploaded(
    repo: Repo, pypi_server: PypiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWINE_USERNAME", "uploader")
    monkeypatch.setenv("TWINE_PASSWORD", "s3cret-upload-password")
    independent(
        repo,
        f'[pypi]\nrepository_url = "{pypi_server.url}"\nindex_url = "{pypi_server.simple_url}"\n',
    )
    ctxs = contexts(repo)
    py = ctxs["lens-py"]
    wheels, pypi = WheelsStep(), PypiStep()
    for name in ("lens-core", "lens-cli", "@acme/web"):
        assert not wheels.applies(ctxs[name]) and not pypi.applies(ctxs[name])
    assert pypi.applies(ctxs["lens-cli"]) == Skip(
        "lens-cli is a crate package with no Python distribution"
    )
    assert wheels.applies(py) and pypi.applies(py)
    assert "lens-py" in wheels.describe(py)
    wheels.run(py)
    assert py.dist == repo.path / "dist" / "lens-py"  # its own folder: its own artifacts.json
    assert sorted(p.name for p in py.dist.iterdir()) == [
        "lens_py-0.5.1-py3-none-any.whl",
        "lens_py-0.5.1.tar.gz",
    ]
    assert wheels.done(py)
    assert pypi.check(py) == [] and not pypi.done(py)
    pypi.run(py)
    assert pypi_server.files() == ["lens_py-0.5.1-py3-none-any.whl", "lens_py-0.5.1.tar.gz"]
    assert pypi.done(py)
    assert py.landed.pypi is not None and py.landed.pypi.projects == ["lens-py"]


def test_a_maturin_project_follows_the_crate_it_takes_its_version_from(repo: Repo) -> None:
    """A maturin project without a version of its own is no package: its version is its
    crate's, so its wheel is built and uploaded in that crate's release."""
    independent(repo)
    repo.write("bind/pyproject.toml", MATURIN)
    repo.commit("feat(bind): the command line as a wheel", file="bind/notes.txt")
    ctxs = contexts(repo)
    bind = repo.path / "bind" / "pyproject.toml"
    assert maturin_crate(bind) == "lens-cli"
    assert python_projects(ctxs["lens-cli"]) == [bind]
    assert python_projects(ctxs["lens-core"]) == []
    assert python_projects(ctxs["lens-py"]) == [repo.path / "py" / "pyproject.toml"]
    assert python_projects(ctxs["@acme/web"]) == []
    assert WheelsStep().applies(ctxs["lens-cli"])
    assert "lens-bin" in WheelsStep().describe(ctxs["lens-cli"])

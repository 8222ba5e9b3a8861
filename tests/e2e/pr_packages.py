"""The Python packages the release pull request's end-to-end tests release: a pyproject.toml
that setuptools builds, and the module that states the version too."""

from __future__ import annotations

from ..conftest import Repo

BRANCH = "release-toolkit/next"
PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "one of two"
"""


def write_package(repo: Repo, folder: str, name: str, version: str) -> None:
    repo.write(f"{folder}/pyproject.toml", PYPROJECT.format(name=name, version=version))
    module = name.replace("-", "_")
    repo.write(f"{folder}/src/{module}/__init__.py", f'__version__ = "{version}"\n')

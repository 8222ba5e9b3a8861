"""A repository versioned per package, for the steps of an independent cut: two crates
(`lens-cli`, with the `lens` binary, requires the `lens-core` library), a Python package
and a package.json package, each with its own tag, each changed since. The manifests state
the next versions already, as the cut's bump leaves them before build and publish run."""

from __future__ import annotations

import json
import subprocess

from release.core.engine.context import ReleaseContext
from release.core.plan.package_context import released_contexts
from release.core.plan.release_mode import independent_plan
from release.core.settings import config
from release.tools.git import Git

from ..conftest import Repo

CORE = (
    '[package]\nname = "lens-core"\nversion = "{version}"\nedition = "2021"\nlicense = "MIT"\n'
    'description = "The library"\n'
)
APP = (
    '[package]\nname = "lens-cli"\nversion = "{version}"\nedition = "2021"\nlicense = "MIT"\n'
    'description = "The command line"\n\n'
    '[[bin]]\nname = "lens"\npath = "src/main.rs"\n\n'
    '[dependencies]\nlens-core = {{ path = "../core", version = "{requires}" }}\n'
)
PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "lens-py"
version = "{version}"
description = "The Python package of the repository"
"""
# What the first release of each package was, and what this cut releases.
TAGS = ["lens-core-v0.3.0", "lens-cli-v1.0.0", "lens-py-v0.5.0", "@acme/web-v1.0.0"]
RELEASED = {"lens-core": "0.3.1", "lens-cli": "1.0.1", "lens-py": "0.5.1", "@acme/web": "1.0.1"}


def write_packages(repo: Repo, core: str, cli: str, requires: str, py: str, web: str) -> None:
    repo.write("crates/core/Cargo.toml", CORE.format(version=core))
    repo.write("crates/core/src/lib.rs", 'pub fn version() -> &\'static str { "core" }\n')
    repo.write("crates/cli/Cargo.toml", APP.format(version=cli, requires=requires))
    repo.write("crates/cli/src/main.rs", 'fn main() { println!("{}", lens_core::version()); }\n')
    repo.write("py/pyproject.toml", PYPROJECT.format(version=py))
    repo.write("py/src/lens_py/__init__.py", f'__version__ = "{py}"\n')
    web_manifest = {"name": "@acme/web", "version": web}
    repo.write("web/package.json", json.dumps(web_manifest) + "\n")


def lock(repo: Repo) -> None:
    subprocess.run(
        ["cargo", "generate-lockfile", "--offline"], cwd=repo.path, check=True, capture_output=True
    )


def independent(repo: Repo, release_toml: str = "") -> Repo:
    """The repository, tagged at the first releases, then one change per package."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    repo.write(".gitignore", "dist/\ntarget/\n*.egg-info/\n")
    repo.write("README.md", "# packages\n")
    repo.write("LICENSE", "MIT\n")
    repo.write("release.toml", '[version]\nmode = "independent"\n' + release_toml)
    write_packages(repo, "0.3.0", "1.0.0", "0.3", "0.5.0", "1.0.0")
    lock(repo)
    repo.commit("chore: start")
    for tag in TAGS:
        repo.tag(tag)
    write_packages(repo, "0.3.1", "1.0.0", "0.3", "0.5.0", "1.0.0")
    lock(repo)
    repo.commit("fix(core): a faster version()", file="crates/core/notes.txt")
    write_packages(repo, "0.3.1", "1.0.1", "0.3.1", "0.5.0", "1.0.0")
    lock(repo)
    repo.commit("fix(cli): needs lens-core 0.3.1", file="crates/cli/notes.txt")
    write_packages(repo, "0.3.1", "1.0.1", "0.3.1", "0.5.1", "1.0.0")
    repo.commit("fix(py): a typo", file="py/notes.txt")
    write_packages(repo, "0.3.1", "1.0.1", "0.3.1", "0.5.1", "1.0.1")
    repo.commit("fix(web): a typo", file="web/notes.txt")
    return repo


def contexts(repo: Repo) -> dict[str, ReleaseContext]:
    """Each released package's context, as the independent cut makes them."""
    git = Git.discover(repo.path)
    cfg = config.load(git.root)
    plans = independent_plan(git, cfg, None)
    assert plans is not None
    found = released_contexts(git, cfg, plans)
    assert {name: str(ctx.version) for name, ctx in found.items()} == RELEASED
    return found

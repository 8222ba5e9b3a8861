"""Small repositories shaped like the real ones `release init` was tried on: git-cliff's own
(a Cargo workspace, its own cliff.toml and tag-triggered cd.yml, LICENSE-MIT + LICENSE-APACHE,
a maturin package in pypi/, npm wrapper packages pinning their siblings), a JavaScript monorepo
(vuejs/core: a private root package.json and packages/* at the same version, release.yml on
tags) and a Python project on `master` (tqdm: a setuptools-scm version, LICENCE, README.rst,
jobs that run on tag pushes inside an `on: push` workflow)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Repo, git

NPM_WRAPPER = """{
  "name": "cliffy",
  "version": "2.13.1",
  "description": "A changelog generator ⛰️",
  "type": "module",
  "bin": "lib/cli/cli.js",
  "files": [
    "lib"
  ],
  "dependencies": {
    "execa": "^9.6.0",
    "left-pad": "2.13.1"
  },
  "devDependencies": {
    "typescript": "^5.8.3"
  },
  "optionalDependencies": {
    "cliffy-darwin-arm64": "2.13.1",
    "cliffy-linux-x64": "2.13.1",
    "cliffy-windows-x64": "2.13.1"
  },
  "packageManager": "yarn@4.1.0",
  "engines": {
    "node": "^18.19 || >=20.6"
  }
}
"""

CARGO_WORKSPACE = """[workspace]
resolver = "2"
members = ["cliffy-core", "cliffy"]

[profile.release]
lto = true
"""

CRATE = """[package]
name = "{name}"
version = "2.13.1"
edition = "2021"
license = "MIT OR Apache-2.0"
{deps}"""

MATURIN = """[build-system]
requires = ["maturin>=1.5,<2"]
build-backend = "maturin"

[project]
name = "cliffy"
requires-python = ">=3.7"
dynamic = ["version"]

[tool.maturin]
bindings = "bin"
manifest-path = "../cliffy/Cargo.toml"
"""

CD_YML = """name: Continuous Deployment

on:
  push:
    tags:
      - "v*.*.*"

jobs:
  publish:
    runs-on: ubuntu-22.04
    steps:
      - run: echo publish
"""

CI_YML = """name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-22.04
    steps:
      - run: cargo test
"""

OWN_CLIFF = """# the project's own git-cliff configuration
[changelog]
body = "{% for commit in commits %}- {{ commit.message }}\\n{% endfor %}"
"""


def _publish(repo: Repo, tmp: Path, branch: str) -> Path:
    """A bare remote whose HEAD names `branch`, fetched so that origin/HEAD is set."""
    bare = tmp / "remote.git"
    git(tmp, "init", "-q", "--bare", "-b", branch, str(bare))
    repo.git("remote", "add", "origin", str(bare))
    repo.git("push", "-q", "origin", f"HEAD:refs/heads/{branch}", "--tags")
    repo.git("fetch", "-q", "origin")
    repo.git("remote", "set-head", "origin", "--auto")
    repo.git("branch", "-q", "--set-upstream-to", f"origin/{branch}")
    return bare


def git_cliff_like(repo: Repo, tmp: Path) -> None:
    repo.write("Cargo.toml", CARGO_WORKSPACE)
    repo.write("cliffy-core/Cargo.toml", CRATE.format(name="cliffy-core", deps=""))
    repo.write("cliffy-core/src/lib.rs", "pub fn core() {}\n")
    deps = '\n[dependencies]\ncliffy-core = { path = "../cliffy-core", version = "2.13.1" }\n'
    repo.write("cliffy/Cargo.toml", CRATE.format(name="cliffy", deps=deps))
    repo.write("cliffy/src/main.rs", "fn main() { cliffy_core::core() }\n")
    repo.write("pypi/pyproject.toml", MATURIN)
    repo.write("npm/cliffy/package.json", NPM_WRAPPER)
    repo.write("npm/cliffy/yarn.lock", "# yarn lockfile v1\n")
    repo.write("npm/package.json.tmpl", '{"name": "${node_pkg}", "version": "${node_version}"}\n')
    repo.write("website/package.json", '{\n  "name": "website",\n  "version": "0.0.0"\n}\n')
    repo.write("cliff.toml", OWN_CLIFF)
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [2.13.1](https://github.com/acme/cliffy/compare/v2.13.0..v2.13.1)"
        " - 2026-04-26\n\n### Bug Fixes\n\n- A fix\n",
    )
    repo.write("LICENSE-MIT", "MIT License\n")
    repo.write("LICENSE-APACHE", "Apache License 2.0\n")
    repo.write("README.md", "# cliffy\n")
    repo.write("Dockerfile", "FROM scratch\n")
    repo.write(".github/workflows/cd.yml", CD_YML)
    repo.write(".github/workflows/ci.yml", CI_YML)
    repo.write(".gitignore", "target/\ndist/\n")
    repo.commit("chore(release): prepare for v2.13.0")
    repo.tag("v2.13.0")
    repo.commit("fix: a fix")
    repo.commit("chore(release): prepare for v2.13.1")
    repo.tag("v2.13.1")
    repo.commit("feat: a feature to release")
    _publish(repo, tmp, "main")


def js_monorepo(repo: Repo, tmp: Path) -> None:
    root = '{\n  "private": true,\n  "version": "3.5.41",\n  "packageManager": "pnpm@11.19.0"\n}\n'
    repo.write("package.json", root)
    repo.write("pnpm-workspace.yaml", "packages:\n  - 'packages/*'\n")
    repo.write(
        "packages/vue/package.json",
        '{\n  "name": "vue",\n  "version": "3.5.41",\n  "dependencies": {\n'
        '    "@vue/shared": "workspace:*"\n  }\n}\n',
    )
    repo.write(
        "packages/shared/package.json", '{\n  "name": "@vue/shared",\n  "version": "3.5.41"\n}\n'
    )
    repo.write(
        "packages/runtime-test/package.json",
        '{\n  "name": "@vue/runtime-test",\n  "private": true,\n  "version": "0.0.0"\n}\n',
    )
    repo.write(
        "CHANGELOG.md", "## [3.5.41](https://github.com/vuejs/core/compare/v3.5.40...v3.5.41)\n"
    )
    repo.write("LICENSE", "The MIT License (MIT)\n")
    repo.write(".github/workflows/release.yml", VUE_RELEASE_YML)
    repo.commit("release: v3.5.40")
    repo.tag("v3.5.40")
    repo.commit("release: v3.5.41")
    repo.tag("v3.5.41")
    repo.commit("fix(runtime-core): a fix")
    _publish(repo, tmp, "main")


VUE_RELEASE_YML = """name: Release

on:
  push:
    tags:
      - 'v*' # Push events to matching v*, i.e. v1.0, v20.15.10

jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: pnpm publish
"""

TQDM_TEST_YML = """name: Test
on:
  push:
  pull_request:
jobs:
  deploy:
    if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags')
    runs-on: ubuntu-latest
    steps:
      - run: twine upload dist/*
"""


def python_on_master(repo: Repo, tmp: Path) -> None:
    repo.git("checkout", "-q", "-b", "master")
    repo.write(
        "pyproject.toml",
        '[build-system]\nrequires = ["setuptools>=42", "setuptools-scm[toml]>=3.4"]\n'
        'build-backend = "setuptools.build_meta"\n\n[tool.setuptools_scm]\n\n'
        '[project]\nname = "tqdm"\ndynamic = ["version"]\n',
    )
    repo.write("tqdm/__init__.py", '"""Progress bars."""\n')
    repo.write("LICENCE", "MPL-2.0 AND MIT\n")
    repo.write("README.rst", "tqdm\n====\n")
    repo.write(".github/workflows/test.yml", TQDM_TEST_YML)
    repo.write(
        ".github/workflows/post-release.yml", "on:\n  release: {types: [published]}\njobs: {}\n"
    )
    repo.commit("chore: v4.69.0")
    repo.tag("v4.69.0")
    repo.commit("fix: a fix")
    repo.tag("v4.69.1")
    repo.commit("feat: a feature")
    _publish(repo, tmp, "master")


def release_plz_like(repo: Repo, tmp: Path) -> None:
    """release-plz's own repository: crates with their own versions and `{name}-v{version}`
    tags, a workflow on those tags, a release commit per train of tags."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    repo.write(
        "crates/git_cmd/Cargo.toml",
        '[package]\nname = "git_cmd"\nversion = "0.6.28"\nedition = "2021"\n',
    )
    repo.write(
        "crates/release_plz/Cargo.toml",
        '[package]\nname = "release-plz"\nversion = "0.3.160"\nedition = "2021"\n\n'
        '[dependencies]\ngit_cmd = { path = "../git_cmd", version = "0.6.28" }\n',
    )
    repo.write("crates/release_plz/src/main.rs", "fn main() {}\n")
    repo.write(".github/workflows/docker.yml", "on:\n  push:\n    tags: ['release-plz-v*.*.*']\n")
    repo.write("LICENSE-MIT", "MIT License\n")
    repo.write(".gitignore", "target/\ndist/\n")
    repo.commit("chore: release (#2897)")
    repo.tag("git_cmd-v0.6.28")
    repo.tag("release-plz-v0.3.160")
    repo.commit("fix(git_cmd): quote paths (#2900)", file="crates/git_cmd/src/lib.rs")
    _publish(repo, tmp, "main")

"""A lockstep cut killed after its release commit and tag, before its build; the user then
commits a change to the sources on top and pushes it. `release resume` builds and publishes
from the release commit's tree (core/engine/sources.py): the crate on the registry and the
wheel and sdist on pypiserver hold the tagged sources, not the later commit's, and the
user's HEAD and work tree are as they were. The same for an npm package packed on resume."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import urllib.request
import zipfile
from pathlib import Path

from tests.services.verdaccio import Verdaccio

from ..conftest import Repo, git, run_release
from .stack import Stack
from .test_recovery import lean as lean  # the fixture, shared

LATER = "after the tag"
MODULE = "python/src/demo_py/__init__.py"
LIB = "crates/demo-core/src/lib.rs"


def _member(archive: bytes, suffix: str) -> str:
    """The text of the one file of a .crate, sdist (tar.gz) or wheel (zip) ending in suffix."""
    if archive[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(archive)) as wheel:
            [name] = [n for n in wheel.namelist() if n.endswith(suffix)]
            return wheel.read(name).decode()
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(archive))) as tar:
        [member] = [m for m in tar.getmembers() if m.name.endswith(suffix)]
        extracted = tar.extractfile(member)
        assert extracted is not None
        return extracted.read().decode()


def test_a_resume_past_a_later_commit_publishes_the_release_commits_sources(lean: Stack) -> None:
    stack = lean
    demo, version = stack.project, "1.2.0"
    killed = run_release(
        demo, "cut", version, "--yes", env={**stack.env, "RELEASE_TEST_KILL_AT": "before:binaries"}
    )
    assert killed.code == -9, killed.err
    tag = f"v{version}"
    released = {path: git(demo, "show", f"{tag}:{path}") for path in (MODULE, LIB)}
    for path, marker in ((MODULE, f"LATER = {LATER!r}\n"), (LIB, f"// {LATER}\n")):
        with (demo / path).open("a") as source:
            source.write(marker)
    git(demo, "commit", "-qam", "fix: a change after the tag")
    git(demo, "push", "-q", "origin", "main")
    mine = git(demo, "rev-parse", "HEAD")
    resumed = run_release(demo, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published(version)
    crate = stack.crates.crate_file("demo-core", version)
    assert crate is not None
    assert _member(crate, "src/lib.rs").strip() == released[LIB].strip()
    published = [f for f in stack.pypi.files() if f"-{version}" in f]
    assert len(published) == 2, published  # the wheel and the sdist
    for name in published:
        module = _member((stack.pypi.packages / name).read_bytes(), "demo_py/__init__.py")
        assert LATER not in module and f'__version__ = "{version}"' in module, name
        assert module.strip() == released[MODULE].strip(), name
    # The user's HEAD, branch and files: untouched; no scratch worktree left behind.
    assert git(demo, "rev-parse", "HEAD") == mine
    assert git(demo, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(demo, "status", "--porcelain") == ""
    assert (demo / LIB).read_text().endswith(f"// {LATER}\n")
    assert len(git(demo, "worktree", "list").splitlines()) == 1
    remote_main = git(demo, "ls-remote", str(stack.remote), "refs/heads/main").split()[0]
    assert remote_main == mine


def test_a_resume_past_a_later_commit_packs_the_release_commits_npm_package(
    repo: Repo, verdaccio: Verdaccio, tmp_path: Path
) -> None:
    """The same for `npm pack` and publish: no cargo build, the project's own package.json."""
    name, index = "@later/one", "packages/one/index.js"
    repo.write(
        "packages/one/package.json",
        json.dumps({"name": name, "version": "0.4.0", "license": "MIT"}, indent=2) + "\n",
    )
    repo.write(index, 'module.exports = "released";\n')
    repo.write("LICENSE", "MIT License\n")
    repo.write(
        "release-toolkit.toml",
        f'[npm]\nshape = "package-json"\nregistry = "{verdaccio.url}"\n\n[manifests]\n'
        'npm = ["packages/one/package.json"]\n',
    )
    repo.commit("feat: the package", file="src.txt")
    repo.tag("v0.4.0")
    repo.add_remote(tmp_path)
    repo.commit("feat: a new option", file="option.txt")
    env = {"NPM_TOKEN": verdaccio.token, "RELEASE_TEST_KILL_AT": "before:npm"}
    killed = run_release(repo.path, "cut", "--yes", env=env)
    assert killed.code == -9, killed.err
    repo.write(index, 'module.exports = "later";\n')
    mine = repo.commit("fix: a change after the tag")
    resumed = run_release(repo.path, "resume", "--yes", env={"NPM_TOKEN": verdaccio.token})
    assert resumed.code == 0, resumed.err
    assert verdaccio.versions(name) == ["0.5.0"]
    tarball = verdaccio.packument(name)["versions"]["0.5.0"]["dist"]["tarball"]
    with urllib.request.urlopen(tarball, timeout=10) as answer:
        packed = answer.read()
    assert _member(packed, "package/index.js") == 'module.exports = "released";\n'
    assert git(repo.path, "rev-parse", "HEAD") == mine and repo.status() == ""
    assert (repo.path / index).read_text() == 'module.exports = "later";\n'
    assert len(git(repo.path, "worktree", "list").splitlines()) == 1

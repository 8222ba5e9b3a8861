"""A real setuptools build whose MANIFEST.in takes a link that git ignores: the sdist holds
the outside file's content (setuptools follows the link), and it never reaches dist/."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import BadInput
from release.core.plan.planning import plan
from release.steps.artifacts import wheels

from ..conftest import Repo

SECRET = "ci-runner-credential-5f0c2a9e7d41b38a\n"


def test_an_sdist_that_followed_an_ignored_link_out_never_reaches_dist(
    repo: Repo, tmp_path: Path
) -> None:
    outside = tmp_path / "runner-credentials.txt"
    outside.write_text(SECRET)
    repo.write(
        "pyproject.toml",
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "demo"\nversion = "1.1.0"\n[tool.setuptools]\npackages = ["demo"]\n',
    )
    repo.write("demo/__init__.py", '__version__ = "1.1.0"\n')
    repo.write("MANIFEST.in", "include notes.txt\n")
    repo.write(".gitignore", "notes.txt\n")
    (repo.path / "notes.txt").symlink_to(outside)
    repo.commit("feat: one")
    ctx = plan(repo.path, "1.1.0")
    assert ctx.relpath(repo.path / "notes.txt") not in repo.git("ls-files")  # git ignores it
    with pytest.raises(BadInput, match=r"notes\.txt is the content of notes\.txt ->"):
        wheels.WheelsStep().run(ctx)
    assert not list(ctx.dist.glob("*.tar.gz")) and not list(ctx.dist.glob("*.whl"))
    assert ctx.manifest().of_kind("sdist", "wheel") == []

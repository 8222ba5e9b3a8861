"""What a build backend packed is checked before it reaches dist/: an sdist carrying a
symlink out of it (what a backend makes of a link to a file outside) is refused, and
nothing is registered for upload."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from release.base.errors import BadInput
from release.core.plan.planning import plan
from release.steps.artifacts import wheels

from ..conftest import Repo


def _sdist_with_a_link_out(out: Path) -> list[Path]:
    sdist = out / "demo-1.1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        body = b"print('hi')\n"
        module = tarfile.TarInfo("demo-1.1.0/demo.py")
        module.size = len(body)
        tar.addfile(module, io.BytesIO(body))
        link = tarfile.TarInfo("demo-1.1.0/LICENSE")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../.ssh/id_rsa"
        tar.addfile(link)
    return [sdist]


def test_an_sdist_with_a_link_out_never_reaches_dist(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("pyproject.toml", '[project]\nname = "demo"\nversion = "1.1.0"\n')
    repo.commit("feat: one")
    ctx = plan(repo.path, "1.1.0")
    monkeypatch.setattr(wheels, "build_into", lambda package, out: _sdist_with_a_link_out(out))
    with pytest.raises(BadInput, match=r"LICENSE is a symlink to \.\./\.\./\.\./\.ssh/id_rsa"):
        wheels.WheelsStep().run(ctx)
    assert not list(ctx.dist.glob("*.tar.gz"))
    assert ctx.manifest().of_kind("sdist") == []

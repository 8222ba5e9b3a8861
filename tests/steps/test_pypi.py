"""twine uploads to a real pypiserver on 127.0.0.1, after asking its simple index."""

from __future__ import annotations

import hashlib
import time
import urllib.request

import pytest

from release.base.errors import ReleaseError
from release.core.plan.planning import plan_tagged
from release.steps.artifacts.wheels import WheelsStep
from release.steps.pypi import upload as pypi_upload
from release.steps.pypi.step import PypiStep, normalize
from tests.services.pypi import PypiServer
from tests.services.pypi_proxy import PypiProxy

from ..conftest import Repo
from .test_wheels import make


def served_digest(server: PypiServer, project: str, digest: str) -> None:
    """Wait until pypiserver's index shows `digest`: it caches each file's digest and drops
    it when watchdog reports the change, a moment after the write (under load, later than
    the next request)."""
    deadline = time.monotonic() + 20
    while f"sha256={digest}" not in _page(f"{server.simple_url}{project}/"):
        assert time.monotonic() < deadline, "pypiserver never served the new content"
        time.sleep(0.05)


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return str(reply.read().decode())


def test_normalize() -> None:
    assert normalize("Demo_Py.Thing") == "demo-py-thing"


def test_upload_once_then_recognise_and_refuse_other_content(
    repo: Repo, pypi_server: PypiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(repo, "Tiny package.")
    with (repo.path / "pyproject.toml").open("a") as handle:
        handle.write(
            f'\n[tool.release.pypi]\nrepository_url = "{pypi_server.url}"\n'
            f'index_url = "{pypi_server.simple_url}"\n'
        )
    repo.commit("chore: local index", file="cfg.txt")
    repo.git("tag", "-f", "-a", "-m", "v0.3.0", "v0.3.0")
    monkeypatch.setenv("TWINE_USERNAME", "uploader")
    monkeypatch.setenv("TWINE_PASSWORD", "s3cret-upload-password")
    ctx = plan_tagged(repo.path)
    WheelsStep().run(ctx)
    step = PypiStep()
    assert step.applies(ctx) and step.check(ctx) == []
    assert not step.done(ctx)
    step.run(ctx)
    assert pypi_server.files() == ["tiny_pkg-0.3.0-py3-none-any.whl", "tiny_pkg-0.3.0.tar.gz"]
    for artifact in ctx.manifest().of_kind("wheel", "sdist"):
        served = (pypi_server.packages / artifact.path).read_bytes()
        assert served == (ctx.dist / artifact.path).read_bytes()
    assert step.done(ctx)
    step.run(ctx)  # nothing left to upload: pypiserver would answer 400 to a second upload
    (pypi_server.packages / "tiny_pkg-0.3.0.tar.gz").write_bytes(b"someone else's sdist")
    served_digest(pypi_server, "tiny-pkg", hashlib.sha256(b"someone else's sdist").hexdigest())
    with pytest.raises(ReleaseError, match="already on the index with other content"):
        step.run(ctx)


def test_no_credentials(
    repo: Repo, pypi_server: PypiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(repo, "Tiny.")
    with (repo.path / "pyproject.toml").open("a") as handle:  # loopback traffic only
        handle.write(f'\n[tool.release.pypi]\nindex_url = "{pypi_server.simple_url}"\n')
    for name in ("PYPI_API_TOKEN", "TWINE_USERNAME", "TWINE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    ctx = plan_tagged(repo.path)
    _empty(pypi_server)
    problems = PypiStep().check(ctx)
    assert [p.message for p in problems] == ["no credentials to upload to the package index"]
    # The module's index has this version from another test: verify says so, before a build.
    (pypi_server.packages / "tiny_pkg-0.3.0.tar.gz").write_bytes(b"another sdist")
    messages = [p.message for p in PypiStep().check(ctx)]
    assert "tiny-pkg 0.3.0 is already on the index (tiny_pkg-0.3.0.tar.gz)" in messages
    _empty(pypi_server)


def _empty(pypi_server: PypiServer) -> None:
    """The module's index is shared by its tests: some need it without this version."""
    for name in pypi_server.files():
        (pypi_server.packages / name).unlink()


def test_transient_upload_failures_are_retried_and_never_upload_twice(
    repo: Repo, pypi_server: PypiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """twine itself re-sends an upload answered 5xx, at once; a connection closed without an
    answer it does not. The wheel's upload is dropped (retried here after a pause), then
    refused (twine re-sends); the sdist's is stored with its answer lost (twine re-sends and
    the index says it exists: the index is asked, the file is ours). Each file lands once."""
    proxy = PypiProxy(pypi_server)
    try:
        make(repo, "Flaky network.")
        with (repo.path / "pyproject.toml").open("a") as handle:
            handle.write(
                f'\n[tool.release.pypi]\nrepository_url = "{proxy.url}"\n'
                f'index_url = "{pypi_server.simple_url}"\n'
            )
        repo.commit("chore: local index", file="cfg.txt")
        repo.git("tag", "-f", "-a", "-m", "v0.3.0", "v0.3.0")
        monkeypatch.setenv("TWINE_USERNAME", "uploader")
        monkeypatch.setenv("TWINE_PASSWORD", "s3cret-upload-password")
        monkeypatch.setattr(pypi_upload, "BACKOFF", 0.01)
        _empty(pypi_server)
        ctx = plan_tagged(repo.path)
        WheelsStep().run(ctx)
        proxy.plan = ["drop", "refuse", "pass", "lose", "pass"]
        PypiStep().run(ctx)
    finally:
        proxy.close()
    assert pypi_server.files() == ["tiny_pkg-0.3.0-py3-none-any.whl", "tiny_pkg-0.3.0.tar.gz"]
    assert proxy.log == ["drop", "refuse", "pass", "lose", "pass"]
    assert not proxy.plan

"""PyPI trusted publishing on loopback: the real twine uploads over TLS to pypiserver behind
warehouse's audience and mint-token endpoints, with a token minted from the loopback Actions
identity; every way the exchange can be refused is a clear problem and nothing is uploaded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.artifacts.wheels import WheelsStep
from release.steps.pypi.step import PypiStep
from tests.services.oidc import OidcIssuer, Trust
from tests.services.pypi_trusted import TrustedPypi

from ..conftest import _ENV, Repo, git, run_release
from .test_wheels import make

FILES = ["tiny_pkg-0.3.0-py3-none-any.whl", "tiny_pkg-0.3.0.tar.gz"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, trusted_pypi: TrustedPypi) -> Path:
    """A tagged project whose wheel and sdist are in dist/, built once for the module."""
    path = tmp_path_factory.mktemp("trusted") / "project"
    path.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in _ENV.items():
            patch.setenv(key, value)
        git(path, "init", "-q", "-b", "main")
        repo = Repo(path)
        make(repo, "Tiny package.")
        repo.write(
            "release.toml",
            f'[pypi]\nrepository_url = "{trusted_pypi.url}"\n'
            f'index_url = "{trusted_pypi.simple_url}"\n',
        )
        repo.commit("chore: the loopback index")
        repo.git("tag", "-f", "-a", "-m", "v0.3.0", "v0.3.0")
        ctx = plan_tagged(path)
        WheelsStep().run(ctx)
        ctx.manifest().save(ctx.dist)  # as the pipeline does after a build step
    return path


@pytest.fixture
def actions(
    built: Path,
    tmp_path: Path,
    trusted_pypi: TrustedPypi,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[], ReleaseContext]]:
    """A copy of the built project inside a job with `id-token: write` and no PyPI secret."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    for key, value in {**oidc_issuer.env(), **trusted_pypi.env()}.items():
        monkeypatch.setenv(key, value)
    for name in ("PYPI_API_TOKEN", "TWINE_USERNAME", "TWINE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    trusted_pypi.reset(Trust(oidc_issuer.url, "pypi", oidc_issuer.repository))
    yield lambda: plan_tagged(copy)


def test_uploads_with_a_token_minted_from_the_workflows_identity(
    actions: Callable[[], ReleaseContext], trusted_pypi: TrustedPypi, oidc_issuer: OidcIssuer
) -> None:
    ctx = actions()
    step = PypiStep()
    assert step.describe(ctx).endswith(
        "with twine, authenticated by trusted publishing (the workflow's OIDC identity)"
    )
    assert step.check(ctx) == []  # the index already said yes: a token was minted
    assert len(trusted_pypi.minted) == 1 and oidc_issuer.issued[0]["aud"] == "pypi"
    assert not step.done(ctx)
    step.run(ctx)
    assert trusted_pypi.backend.files() == FILES
    assert len(trusted_pypi.uploads) == 2 and trusted_pypi.refused_uploads == 0
    assert len(trusted_pypi.minted) == 1  # the token from the check served both uploads
    assert step.done(ctx)


def test_a_token_keeps_working_as_before_and_the_index_refuses_a_wrong_one(
    actions: Callable[[], ReleaseContext],
    trusted_pypi: TrustedPypi,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYPI_API_TOKEN", "pypi-not-a-token-this-index-minted")
    ctx = actions()
    step = PypiStep()
    assert "authenticated by PYPI_API_TOKEN;" in step.describe(ctx)
    assert step.check(ctx) == []
    with pytest.raises(ReleaseError, match="Forbidden") as caught:
        step.run(ctx)
    assert "pypi-not-a-token" not in str(caught.value) + (caught.value.detail or "")
    assert oidc_issuer.issued == [] and trusted_pypi.minted == {}  # a token wins
    assert trusted_pypi.refused_uploads == 1 and trusted_pypi.backend.files() == []


Spoil = Callable[[OidcIssuer, TrustedPypi, pytest.MonkeyPatch], None]


def _expired(issuer: OidcIssuer, pypi: TrustedPypi, env: pytest.MonkeyPatch) -> None:
    issuer.lifetime = -120


def _untrusted(issuer: OidcIssuer, pypi: TrustedPypi, env: pytest.MonkeyPatch) -> None:
    assert pypi.trust is not None
    pypi.trust.repository = "acme/elsewhere"


def _wrong_audience(issuer: OidcIssuer, pypi: TrustedPypi, env: pytest.MonkeyPatch) -> None:
    assert pypi.trust is not None
    pypi.trust.audience = "testpypi"  # it advertises "pypi" but trusts another audience


def _forged(issuer: OidcIssuer, pypi: TrustedPypi, env: pytest.MonkeyPatch) -> None:
    issuer.forge = True


def _no_id_token_permission(issuer: OidcIssuer, pypi: TrustedPypi, env: pytest.MonkeyPatch) -> None:
    env.delenv("ACTIONS_ID_TOKEN_REQUEST_URL")
    env.delenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_expired, "refused this workflow's identity: invalid-token: the token has expired"),
        (
            _untrusted,
            "refused this workflow's identity: invalid-publisher: valid token, but no trusted "
            "publisher for repository acme/tool",
        ),
        (
            _wrong_audience,
            "refused this workflow's identity: invalid-token: the token's audience is not "
            "'testpypi'",
        ),
        (_forged, "invalid-token: the token's signature does not verify"),
        (
            _no_id_token_permission,
            "no credentials to upload to the package index, and no OIDC identity for trusted "
            "publishing: this job lacks `id-token: write`",
        ),
    ],
)
def test_a_refused_identity_is_a_clear_problem_and_nothing_is_uploaded(
    actions: Callable[[], ReleaseContext],
    trusted_pypi: TrustedPypi,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
    spoil: Spoil,
    message: str,
) -> None:
    ctx = actions()
    spoil(oidc_issuer, trusted_pypi, monkeypatch)
    [problem] = PypiStep().check(ctx)
    assert message in problem.message
    assert problem.hint and ("trusted publisher" in problem.hint)
    with pytest.raises(ReleaseError):  # and a run, checked or not, stops before any upload
        PypiStep().run(ctx)
    assert trusted_pypi.minted == {} and trusted_pypi.backend.files() == []
    assert trusted_pypi.uploads == []
    for token in oidc_issuer.tokens:  # no JWT ever reaches an error
        assert token not in f"{problem.message} {problem.hint}"


def test_release_verify_names_the_method_or_the_missing_permission(
    actions: Callable[[], ReleaseContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = actions().root
    ok = run_release(root, "verify", "--json", "--only", "pypi")
    assert ok.code == 0, ok.err
    [step] = json.loads(ok.out)["steps"]
    assert step["action"].endswith(
        "authenticated by trusted publishing (the workflow's OIDC identity)"
    )
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_URL")
    refused = run_release(root, "verify", "--only", "pypi")
    assert refused.code == 3
    assert "this job lacks `id-token: write`" in refused.err
    assert "add `permissions: id-token: write` to this job" in refused.err

"""crates.io's trusted publishing on loopback: the real cargo publishes the example workspace
with a token the registry minted from the loopback Actions identity, and the token is revoked
when the step ends, after a success and after a failed publish alike; every refusal is a clear
problem and nothing is published."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.crates.step import CratesStep
from tests.services.crate_registry import CrateRegistry
from tests.services.crates_trusted import TrustedPublishing
from tests.services.oidc import OidcIssuer, Trust

from .test_crates import in_order, project

Factory = Callable[..., CrateRegistry]


def in_actions(
    tmp: Path, registry: CrateRegistry, issuer: OidcIssuer, monkeypatch: pytest.MonkeyPatch
) -> ReleaseContext:
    """The example workspace, in a job with `id-token: write` and no registry token; the
    registry trusts the issuer's repository for its own audience (its API's host)."""
    path = project(tmp, registry)
    for key in registry.env:
        monkeypatch.delenv(key, raising=False)
    for key, value in issuer.env().items():
        monkeypatch.setenv(key, value)
    audience = f"127.0.0.1:{registry.port}"
    registry.trusted = TrustedPublishing(Trust(issuer.url, audience, issuer.repository))
    return plan_tagged(path)


def test_publishes_with_a_minted_token_and_revokes_it(
    tmp_path: Path,
    crate_registry_factory: Factory,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = crate_registry_factory()
    ctx = in_actions(tmp_path, registry, oidc_issuer, monkeypatch)
    trusted = registry.trusted
    assert trusted is not None
    step = CratesStep()
    assert step.describe(ctx).endswith("with trusted publishing (the workflow's OIDC identity)")
    assert step.check(ctx) == []
    assert len(trusted.minted) == 1 and trusted.live == []  # the check's token: revoked at once
    step.run(ctx)
    published = registry.log.versions()
    assert len(published) == 5 and in_order([name for name, _ in published])
    # One token, fresh for the whole run, published all five crates; then it was revoked.
    assert len(trusted.minted) == 2 and trusted.live == [] and trusted.revoked == trusted.minted
    assert {claims["aud"] for claims in oidc_issuer.issued} == {f"127.0.0.1:{registry.port}"}
    assert step.done(ctx)


def test_a_failed_publish_revokes_the_token_too(
    tmp_path: Path,
    crate_registry_factory: Factory,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = crate_registry_factory()
    ctx = in_actions(tmp_path, registry, oidc_issuer, monkeypatch)
    body = b'{"errors": [{"detail": "crate name is reserved"}]}'
    registry.faults.fail("/api/v1/crates/new", status=400, nth=3, body=body)
    with pytest.raises(ReleaseError, match="cargo publish"):
        CratesStep().run(ctx)
    trusted = registry.trusted
    assert trusted is not None
    names = [name for name, _ in registry.log.versions()]  # the third publish was refused:
    assert len(names) in (2, 3) and "demo-cli" not in names  # the last level never started
    assert len(trusted.minted) == 1 and trusted.revoked == trusted.minted


def _expired(issuer: OidcIssuer, trusted: TrustedPublishing, env: pytest.MonkeyPatch) -> None:
    issuer.lifetime = -120


def _untrusted(issuer: OidcIssuer, trusted: TrustedPublishing, env: pytest.MonkeyPatch) -> None:
    trusted.trust.repository = "acme/elsewhere"


def _wrong_audience(
    issuer: OidcIssuer, trusted: TrustedPublishing, env: pytest.MonkeyPatch
) -> None:
    trusted.trust.audience = "crates.io"  # a token for this registry is not one for crates.io


def _no_permission(issuer: OidcIssuer, trusted: TrustedPublishing, env: pytest.MonkeyPatch) -> None:
    env.delenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_expired, "refused this workflow's identity: the token has expired"),
        (
            _untrusted,
            "refused this workflow's identity: valid token, but no trusted publisher for "
            "repository acme/tool",
        ),
        (
            _wrong_audience,
            "refused this workflow's identity: the token's audience is not 'crates.io'",
        ),
        (
            _no_permission,
            "no token to publish crates, and no OIDC identity for trusted publishing: this job "
            "lacks `id-token: write`",
        ),
    ],
)
def test_a_refused_identity_is_a_clear_problem_and_nothing_is_published(
    tmp_path: Path,
    crate_registry_factory: Factory,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
    spoil: Callable[[OidcIssuer, TrustedPublishing, pytest.MonkeyPatch], None],
    message: str,
) -> None:
    registry = crate_registry_factory()
    ctx = in_actions(tmp_path, registry, oidc_issuer, monkeypatch)
    assert registry.trusted is not None
    spoil(oidc_issuer, registry.trusted, monkeypatch)
    [problem] = CratesStep().check(ctx)
    assert message in problem.message and "trusted publisher" in (problem.hint or "")
    with pytest.raises(ReleaseError, match=message.split(":")[0]):
        CratesStep().run(ctx)
    assert registry.log.versions() == [] and registry.trusted.minted == []
    for token in oidc_issuer.tokens:
        assert token not in f"{problem.message} {problem.hint}"

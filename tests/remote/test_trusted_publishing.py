"""The token exchanges against the loopback registry: a long publish gets a new token before
the old one is too old, every minted token is revoked at the end (a failed revocation is
reported, never raised), and a JWT goes only over https or to this machine."""

from __future__ import annotations

import time

import pytest

from release.remote.trusted_publishing import (
    CRATES_LIFETIME,
    CratesExchange,
    PypiExchange,
    Tokens,
    TrustedPublishingError,
)
from tests.services.crate_registry import CrateRegistry, RegistryFactory
from tests.services.crates_trusted import TrustedPublishing
from tests.services.oidc import OidcIssuer, Trust


@pytest.fixture
def registry(
    crate_registry_factory: RegistryFactory,
    oidc_issuer: OidcIssuer,
    monkeypatch: pytest.MonkeyPatch,
) -> CrateRegistry:
    made = crate_registry_factory()
    made.trusted = TrustedPublishing(
        Trust(oidc_issuer.url, f"127.0.0.1:{made.port}", oidc_issuer.repository)
    )
    for key, value in oidc_issuer.env().items():
        monkeypatch.setenv(key, value)
    return made


def test_a_token_is_renewed_before_it_is_too_old_and_all_are_revoked(
    registry: CrateRegistry,
) -> None:
    start = time.time()
    now = [start]  # the client's clock, moved by hand: a token expires CRATES_LIFETIME after
    tokens = Tokens(CratesExchange(registry.url), fresh_for=20 * 60, clock=lambda: now[0])
    first = tokens.get()
    now[0] = start + 9 * 60
    assert tokens.get() == first  # 21 minutes left: still fresh, no new exchange
    now[0] = start + CRATES_LIFETIME - 19 * 60  # 19 minutes left: too old to start a publish
    second = tokens.get()
    assert second != first and registry.trusted is not None
    assert registry.trusted.live == [first, second]  # the old one may still be uploading
    assert tokens.close() == []
    assert registry.trusted.revoked == [first, second] and registry.trusted.live == []
    assert tokens.close() == []  # nothing twice


def test_a_failed_revocation_is_reported_not_raised(registry: CrateRegistry) -> None:
    tokens = Tokens(CratesExchange(registry.url + "/"), fresh_for=0)
    token = tokens.get()
    registry.faults.fail("/api/v1/trusted_publishing/tokens", method="DELETE", status=401)
    [failure] = tokens.close()
    assert "HTTP 401" in failure and token not in failure
    assert registry.trusted is not None and registry.trusted.live == [token]


def test_no_identity_token_over_plain_http_to_another_machine() -> None:
    with pytest.raises(TrustedPublishingError, match="not served over https"):
        CratesExchange("http://crates.example.test")
    with pytest.raises(TrustedPublishingError, match="not served over https"):
        PypiExchange("http://pypi.example.test/legacy/")
    assert CratesExchange("https://crates.io").audience == "crates.io"


def test_an_index_without_trusted_publishing(
    registry: CrateRegistry, oidc_issuer: OidcIssuer
) -> None:
    with pytest.raises(TrustedPublishingError) as caught:
        PypiExchange(registry.url + "/legacy/").mint()  # no /_/oidc/audience there
    assert caught.value.message == (
        f"{registry.url} does not offer trusted publishing (no /_/oidc/audience)"
    )
    assert "PYPI_API_TOKEN" in (caught.value.hint or "") and oidc_issuer.issued == []

"""The Actions OIDC client against the loopback issuer: a verified JWT for the audience asked
for, and a clear error when the job cannot have one or is given the wrong one."""

from __future__ import annotations

import pytest

from release.base import secrets
from release.remote import oidc
from tests.services.oidc import OidcIssuer, Trust, Untrusted


@pytest.fixture
def actions(oidc_issuer: OidcIssuer, monkeypatch: pytest.MonkeyPatch) -> OidcIssuer:
    for key, value in oidc_issuer.env().items():
        monkeypatch.setenv(key, value)
    return oidc_issuer


def test_a_token_for_the_audience_that_the_registry_can_verify(actions: OidcIssuer) -> None:
    assert oidc.available()
    token = oidc.identity_token("crates.io")
    claims = Trust(actions.url, "crates.io", "acme/tool").verify(token)
    assert claims["aud"] == "crates.io" and claims["repository"] == "acme/tool"
    assert oidc.claims(token)["jti"] == claims["jti"]
    # The JWT and the runner's request token never reach output.
    assert secrets.redact(f"jwt={token} bearer={actions.request_token}") == "jwt=*** bearer=***"
    with pytest.raises(Untrusted, match="audience"):
        Trust(actions.url, "pypi", "acme/tool").verify(token)


def test_without_id_token_write_the_error_names_the_permission(
    actions: OidcIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_URL")
    assert not oidc.available()
    with pytest.raises(oidc.OidcError) as caught:
        oidc.identity_token("pypi")
    assert (
        caught.value.message == "no OIDC identity to publish with: this job lacks `id-token: write`"
    )
    assert "permissions: id-token: write" in (caught.value.hint or "")
    assert actions.issued == []
    monkeypatch.delenv("GITHUB_ACTIONS")
    with pytest.raises(oidc.OidcError, match="not in GitHub Actions"):
        oidc.identity_token("pypi")


def test_a_token_for_another_audience_is_refused_before_it_goes_anywhere(
    actions: OidcIssuer,
) -> None:
    actions.wrong_audience = "sigstore"
    with pytest.raises(oidc.OidcError) as caught:
        oidc.identity_token("pypi")
    assert caught.value.message == (
        "the OIDC token GitHub Actions issued is for audience 'sigstore', not 'pypi'"
    )


def test_a_refused_request_token(actions: OidcIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "expired-runner-token")
    with pytest.raises(oidc.OidcError) as caught:
        oidc.identity_token("pypi")
    assert "HTTP 401" in caught.value.message and "expired-runner-token" not in str(caught.value)

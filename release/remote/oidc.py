"""The workflow's own identity in GitHub Actions: an OIDC token (a JWT GitHub signs) for one
audience, which a registry's trusted publishing exchanges for a short-lived upload token.

The runner offers it only to jobs with `permissions: id-token: write`: then
ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are set, and
`GET {url}&audience=AUD` with that bearer answers `{"value": "<jwt>"}`. The request token and
every JWT are registered for redaction the moment they are read.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from release.base import secrets
from release.base.errors import ReleaseError
from release.remote.net import Http, HttpError, RetryPolicy, Service

REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL"
REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"
PERMISSION_HINT = (
    "add `permissions: id-token: write` to the job that publishes (only that job needs it)"
)


class OidcError(ReleaseError):
    """No identity token could be had, or it was not what was asked for."""


def in_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def available() -> bool:
    """Can this process ask for an identity token (Actions with `id-token: write`)?"""
    return in_actions() and bool(os.environ.get(REQUEST_URL) and os.environ.get(REQUEST_TOKEN))


def claims(jwt: str) -> dict[str, Any]:
    """The payload of a JWT, unverified: only to see what we were given (the registry checks
    the signature)."""
    try:
        payload = jwt.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        raise OidcError("the OIDC token from GitHub Actions is not a JWT") from None
    if not isinstance(data, dict):
        raise OidcError("the OIDC token from GitHub Actions is not a JWT")
    return data


def identity_token(audience: str, *, policy: RetryPolicy | None = None) -> str:
    """A JWT for `audience` from the Actions token endpoint (retried when transient)."""
    url, bearer = os.environ.get(REQUEST_URL), os.environ.get(REQUEST_TOKEN)
    if not (in_actions() and url and bearer):
        where = "this job lacks `id-token: write`" if in_actions() else "not in GitHub Actions"
        raise OidcError(f"no OIDC identity to publish with: {where}", hint=PERMISSION_HINT)
    secrets.register(bearer)
    service = Service("GitHub Actions' OIDC token endpoint")
    try:
        with Http(service, policy=policy, timeout=30.0) as http:
            response = http.request(
                "GET",
                url,
                params={"audience": audience},
                headers={"Authorization": f"Bearer {bearer}", "Accept": "application/json"},
            )
    except HttpError as exc:
        raise OidcError(
            f"GitHub Actions gave no OIDC token for audience {audience!r}: {exc.message}",
            hint=PERMISSION_HINT,
            detail=exc.detail,
        ) from None
    try:
        value = response.json()["value"]
    except (ValueError, KeyError, TypeError):
        value = None
    if not isinstance(value, str) or not value:
        raise OidcError("GitHub Actions' OIDC token endpoint answered without a token")
    secrets.register(value)
    given = claims(value).get("aud")
    if given != audience and not (isinstance(given, list) and audience in given):
        raise OidcError(
            f"the OIDC token GitHub Actions issued is for audience {given!r}, not {audience!r}",
            hint="the token endpoint ignored the audience asked for; nothing was sent on",
        )
    return value

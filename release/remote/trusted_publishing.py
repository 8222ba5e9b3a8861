"""Trusted publishing: the workflow's OIDC identity exchanged for a short-lived upload token.

- PyPI (and any index running warehouse): `GET {host}/_/oidc/audience` names the audience,
  `POST {host}/_/oidc/mint-token` with `{"token": jwt}` answers `{"token": ..., "expires":
  ...}`; the token lives 15 minutes and is used as the password of `__token__`.
- crates.io (and a registry speaking its API): audience = the API's host, `POST
  {api}/api/v1/trusted_publishing/tokens` with `{"jwt": jwt}` answers `{"token": ...}`; the
  token lives 30 minutes and is revoked with `DELETE` on the same path (bearer).

`Tokens` hands out a token only while it has `fresh_for` seconds left, so that a long publish
gets a new one rather than an expired one, and revokes every token it minted when it closes.
A JWT travels only over https, or to this machine.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from release.base import secrets
from release.base.errors import ReleaseError
from release.remote import oidc
from release.remote.net import Http, HttpError, RetryPolicy, Service

if TYPE_CHECKING:  # imported where a request is sent: `release verify` may send none
    import httpx

PYPI_LIFETIME = 15 * 60.0
CRATES_LIFETIME = 30 * 60.0
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class TrustedPublishingError(ReleaseError):
    """The registry would not trade this workflow's identity for a token."""


@dataclass(frozen=True)
class Minted:
    token: str
    expires: float  # seconds since the epoch


class Exchange(Protocol):
    def mint(self) -> Minted: ...

    def revoke(self, minted: Minted) -> None: ...


def _origin(url: str, what: str) -> str:
    """scheme://host[:port] of `url`; a JWT is worth a token, so never over plain http to
    another machine."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        raise TrustedPublishingError(
            f"{what} is not served over https ({url}): no identity token is sent there",
            hint="use the registry's https address, or a token instead of trusted publishing",
        )
    return f"{parts.scheme}://{parts.netloc}"


def _reasons(exc: HttpError) -> str:
    """The registry's own words: PyPI's `errors[].code/description`, crates.io's
    `errors[].detail`; else the status line."""
    try:
        errors = json.loads(exc.detail or "")["errors"]
        said = [
            ": ".join(str(e[k]) for k in ("code", "description", "detail") if k in e)
            for e in errors
        ]
    except (ValueError, KeyError, TypeError):
        said = []
    return "; ".join(s for s in said if s) or exc.message


class PypiExchange:
    def __init__(self, upload_url: str, *, policy: RetryPolicy | None = None) -> None:
        self.origin = _origin(upload_url, "the package index")
        self.policy = policy

    def mint(self) -> Minted:
        service = Service(f"the package index's trusted publishing ({self.origin})")
        with Http(service, policy=self.policy, timeout=30.0) as http:
            try:
                audience = str(
                    http.request("GET", f"{self.origin}/_/oidc/audience").json()["audience"]
                )
            except HttpError as exc:
                if exc.status not in (404, 405):
                    raise
                audience = ""
            except (ValueError, KeyError, TypeError):
                audience = ""
            if not audience:
                raise TrustedPublishingError(
                    f"{self.origin} does not offer trusted publishing (no /_/oidc/audience)",
                    hint="set PYPI_API_TOKEN (or TWINE_USERNAME and TWINE_PASSWORD) for it",
                )
            jwt = oidc.identity_token(audience, policy=self.policy)
            try:
                response = http.request(
                    "POST", f"{self.origin}/_/oidc/mint-token", json={"token": jwt}
                )
            except HttpError as exc:
                raise TrustedPublishingError(
                    f"{self.origin} refused this workflow's identity: {_reasons(exc)}",
                    hint="add this repository, workflow file and environment as a trusted "
                    "publisher of the project on the index, or set PYPI_API_TOKEN",
                ) from None
        return _minted(response, PYPI_LIFETIME)

    def revoke(self, minted: Minted) -> None:
        """PyPI has no revocation for these: they expire on their own after 15 minutes."""


class CratesExchange:
    def __init__(self, api_url: str, *, policy: RetryPolicy | None = None) -> None:
        self.origin = _origin(api_url.rstrip("/"), "the crate registry's API")
        self.audience = urlsplit(self.origin).netloc  # crates.io for https://crates.io
        self.url = f"{self.origin}/api/v1/trusted_publishing/tokens"
        self.policy = policy

    def _http(self) -> Http:
        service = Service(f"the crate registry's trusted publishing ({self.origin})")
        return Http(service, policy=self.policy, timeout=30.0)

    def mint(self) -> Minted:
        jwt = oidc.identity_token(self.audience, policy=self.policy)
        try:
            with self._http() as http:
                response = http.request("POST", self.url, json={"jwt": jwt})
        except HttpError as exc:
            raise TrustedPublishingError(
                f"{self.origin} refused this workflow's identity: {_reasons(exc)}",
                hint="add this repository and workflow file as a trusted publisher in each "
                "crate's settings, or set CARGO_REGISTRY_TOKEN",
            ) from None
        return _minted(response, CRATES_LIFETIME)

    def revoke(self, minted: Minted) -> None:
        with self._http() as http:
            http.request("DELETE", self.url, headers={"Authorization": f"Bearer {minted.token}"})


def _minted(response: httpx.Response, lifetime: float) -> Minted:
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or not isinstance(answer.get("token"), str):
        raise TrustedPublishingError("the registry answered the token exchange without a token")
    token = answer["token"]
    secrets.register(token)
    expires = answer.get("expires")
    limit = time.time() + lifetime
    return Minted(token, min(float(expires), limit) if isinstance(expires, int) else limit)


class Tokens:
    """Tokens from one exchange: renewed when the current one has less than `fresh_for`
    seconds left (never revoked then: a publish may still be using it), all revoked on close.
    Thread-safe: crates of one level publish at once."""

    def __init__(
        self, exchange: Exchange, *, fresh_for: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.exchange = exchange
        self.fresh_for = fresh_for
        self.clock = clock
        self.minted: list[Minted] = []
        self.revoked = 0
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if not self.minted or self.minted[-1].expires - self.clock() < self.fresh_for:
                self.minted.append(self.exchange.mint())
            return self.minted[-1].token

    def close(self) -> list[str]:
        """Revoke what was minted; the failures, for the journal (each token expires soon
        anyway, so a failed revocation never fails a release)."""
        failures = []
        with self._lock:
            minted, self.minted = self.minted, []
        for token in minted:
            try:
                self.exchange.revoke(token)
                self.revoked += 1
            except ReleaseError as exc:
                failures.append(exc.message)
        return failures

    def __enter__(self) -> Tokens:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

"""crates.io's trusted publishing, for the loopback crate registry.

`POST /api/v1/trusted_publishing/tokens` with `{"jwt": ...}`: the JWT is checked by `Trust`
(signature against the issuer's JWKS, expiry, audience, repository) and answered with
`{"token": "cio_tp_..."}`, a token the registry then takes for publishing; `DELETE` on the
same path with `Authorization: Bearer <token>` revokes it (204). Refusals use the web API's
`{"errors": [{"detail": ...}]}`.

    registry.trusted = TrustedPublishing(Trust(issuer.url, registry.audience, "acme/tool"))
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Mapping
from typing import Any

from tests.services.oidc import Trust, Untrusted

PATH = "/api/v1/trusted_publishing/tokens"


class TrustedPublishing:
    def __init__(self, trust: Trust) -> None:
        self.trust = trust
        self.minted: list[str] = []
        self.revoked: list[str] = []
        self.refused: list[str] = []  # the details of refused exchanges
        self._lock = threading.Lock()

    def accepts(self, token: str) -> bool:
        with self._lock:
            return token in self.minted and token not in self.revoked

    @property
    def live(self) -> list[str]:
        with self._lock:
            return [t for t in self.minted if t not in self.revoked]

    def handle(self, method: str, headers: Mapping[str, str], body: bytes) -> tuple[int, Any]:
        if method == "POST":
            return self._exchange(body)
        if method == "DELETE":
            return self._revoke(headers.get("Authorization") or "")
        return 405, _errors("method not allowed")

    def _exchange(self, body: bytes) -> tuple[int, Any]:
        try:
            jwt = json.loads(body)["jwt"]
            self.trust.verify(jwt)
        except Untrusted as why:
            with self._lock:
                self.refused.append(why.description)
            status = 400 if why.code == "invalid-publisher" else 401
            return status, _errors(why.description)
        except (ValueError, KeyError, TypeError):
            return 400, _errors("expected a JSON body with `jwt`")
        token = "cio_tp_" + secrets.token_hex(16)
        with self._lock:
            self.minted.append(token)
        return 200, {"token": token}

    def _revoke(self, authorization: str) -> tuple[int, Any]:
        token = authorization.removeprefix("Bearer ").strip()
        with self._lock:
            if token not in self.minted or token in self.revoked:
                return 401, _errors("invalid or revoked token")
            self.revoked.append(token)
        return 204, None


def _errors(detail: str) -> dict[str, Any]:
    return {"errors": [{"detail": detail}]}

"""A loopback OIDC issuer in the shape of GitHub Actions', and the check a registry makes of
the tokens it signs.

The issuer serves what a job with `id-token: write` reaches: `GET /token?api-version=2.0
&audience=AUD` with the job's bearer answers `{"count": 1, "value": "<jwt>"}`, an RS256 JWT
with GitHub's claims (repository, workflow_ref, environment, ...); and what a registry
reaches: `/.well-known/openid-configuration` and `/.well-known/jwks`. Knobs make it issue
what a registry must refuse: `lifetime` (negative: already expired), `wrong_audience`,
`forge` (signed with a key the JWKS does not hold).

`Trust` is the registry's side: the JWT's signature against the issuer's JWKS (fetched over
HTTP, as PyPI and crates.io fetch GitHub's), its expiry, audience, issuer, and whether its
repository (and workflow) is a trusted publisher.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.services.loopback import LoopbackServer, service_of

KID = "loopback-actions-1"


class OidcIssuer(LoopbackServer):
    def __init__(
        self,
        repository: str = "acme/tool",
        *,
        workflow: str = "release.yml",
        ref: str = "refs/tags/v1.1.1",
        environment: str | None = "release",
    ) -> None:
        super().__init__()
        self.repository = repository
        self.workflow = workflow
        self.ref = ref
        self.environment = environment
        self.request_token = "actions-request-" + secrets.token_hex(16)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.lifetime = 300.0  # seconds; GitHub's tokens live a few minutes
        self.wrong_audience: str | None = None
        self.forge = False
        self.issued: list[dict[str, Any]] = []  # the claims of every token handed out
        self.tokens: list[str] = []  # and the tokens themselves
        self._lock = threading.Lock()

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What the runner sets in a job with `id-token: write`."""
        return {
            "GITHUB_ACTIONS": "true",
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{self.url}/token?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": self.request_token,
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def token(self, audience: str) -> str:
        now = int(time.time())
        owner = self.repository.split("/")[0]
        path = f"{self.repository}/.github/workflows/{self.workflow}@{self.ref}"
        claims: dict[str, Any] = {
            "jti": str(uuid.uuid4()),
            "sub": f"repo:{self.repository}:environment:{self.environment}"
            if self.environment
            else f"repo:{self.repository}:ref:{self.ref}",
            "aud": self.wrong_audience or audience,
            "ref": self.ref,
            "ref_type": "tag",
            "repository": self.repository,
            "repository_owner": owner,
            "repository_id": "1296269",
            "repository_owner_id": "1342004",
            "event_name": "push",
            "workflow": "release",
            "workflow_ref": path,
            "job_workflow_ref": path,
            "run_id": "42",
            "run_attempt": "1",
            "iss": self.url,
            "iat": now,
            "nbf": now - 5,
            "exp": int(now + self.lifetime),
        }
        if self.environment:
            claims["environment"] = self.environment
        key = rsa.generate_private_key(65537, 2048) if self.forge else self.key
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})
        with self._lock:
            self.issued.append(claims)
            self.tokens.append(token)
        return token


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        issuer: OidcIssuer = service_of(self)
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        if split.path == "/.well-known/jwks":
            return self._json(200, issuer.jwks())
        if split.path == "/.well-known/openid-configuration":
            return self._json(
                200, {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/.well-known/jwks"}
            )
        if split.path != "/token":
            return self._json(404, {"message": "Not Found"})
        if self.headers.get("Authorization") != f"Bearer {issuer.request_token}":
            return self._json(401, {"message": "Bad credentials"})
        audience = query.get("audience")
        if not audience:
            return self._json(400, {"message": "audience is required"})
        self._json(200, {"count": 1, "value": issuer.token(audience)})

    def _json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Untrusted(Exception):
    """Why a registry refuses a JWT: a code (PyPI's words) and a description."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class Trust:
    """A registry's trusted publisher: tokens of `issuer` for `audience`, from `repository`
    (and `workflow`, when set), are worth a short-lived upload token."""

    issuer: str
    audience: str
    repository: str
    workflow: str | None = None
    _keys: jwt.PyJWKClient | None = field(default=None, repr=False)

    def verify(self, token: str) -> dict[str, Any]:
        if self._keys is None:
            self._keys = jwt.PyJWKClient(f"{self.issuer}/.well-known/jwks", cache_keys=True)
        try:
            key = self._keys.get_signing_key_from_jwt(token).key
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "aud", "iss", "repository"]},
            )
        except jwt.ExpiredSignatureError:
            raise Untrusted("invalid-token", "the token has expired") from None
        except jwt.InvalidAudienceError:
            raise Untrusted(
                "invalid-token", f"the token's audience is not {self.audience!r}"
            ) from None
        except (jwt.InvalidSignatureError, jwt.PyJWKClientError):
            raise Untrusted("invalid-token", "the token's signature does not verify") from None
        except jwt.InvalidTokenError as exc:
            raise Untrusted("invalid-token", f"the token is invalid: {exc}") from None
        if claims["repository"] != self.repository:
            raise Untrusted(
                "invalid-publisher",
                f"valid token, but no trusted publisher for repository {claims['repository']}",
            )
        if self.workflow and f"/.github/workflows/{self.workflow}@" not in claims.get(
            "job_workflow_ref", ""
        ):
            raise Untrusted("invalid-publisher", f"the workflow is not {self.workflow}")
        return claims


@pytest.fixture
def oidc_issuer() -> Iterator[OidcIssuer]:
    """A fresh issuer (its own key, default knobs) for one test."""
    with OidcIssuer() as issuer:
        yield issuer

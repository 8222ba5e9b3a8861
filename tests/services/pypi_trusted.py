"""PyPI's trusted publishing on loopback: pypiserver behind a TLS front (a test CA from
trustme: clients build these URLs with https) that serves what warehouse serves for it.

- `GET /_/oidc/audience` -> `{"audience": "pypi"}`;
- `POST /_/oidc/mint-token` with `{"token": jwt}`: the JWT is checked by `Trust` (signature
  against the issuer's JWKS, expiry, audience, repository); the answer is warehouse's,
  `{"success": true, "token": "pypi-...", "expires": ...}` or 422 with
  `{"message": "Token request failed", "errors": [{"code": ..., "description": ...}]}`;
- an upload (`POST /`) goes through to pypiserver only with `__token__` and a live token this
  front minted; anything else is forwarded as it is.
"""

from __future__ import annotations

import base64
import http.client
import json
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.services.oidc import Trust, Untrusted
from tests.services.pypi import PypiServer, start_pypi

LIFETIME = 900  # warehouse's tokens live 15 minutes


class TrustedPypi:
    def __init__(self, backend: PypiServer, ca: trustme.CA, ca_file: Path) -> None:
        self.backend = backend
        self.ca_file = ca_file
        self.trust: Trust | None = None
        self.audience = "pypi"
        self.minted: dict[str, float] = {}  # token -> expiry
        self.uploads: list[str] = []  # bodies' filenames that reached pypiserver
        self.refused_uploads = 0
        self.lock = threading.Lock()
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(self._context)
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> TrustedPypi:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.socket = self._context.wrap_socket(server.socket, server_side=True)
        server.service = self  # type: ignore[attr-defined]
        self._server = server
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def simple_url(self) -> str:
        return self.url + "simple/"

    def env(self) -> dict[str, str]:
        """How httpx (the toolkit) and requests (twine) trust the test CA."""
        return {"SSL_CERT_FILE": str(self.ca_file), "REQUESTS_CA_BUNDLE": str(self.ca_file)}

    def reset(self, trust: Trust) -> None:
        self.trust = trust
        self.audience = trust.audience
        with self.lock:
            self.minted.clear()
            self.uploads.clear()
            self.refused_uploads = 0
        for path in self.backend.packages.iterdir():
            path.unlink()

    def mint(self, body: bytes) -> tuple[int, dict[str, Any]]:
        assert self.trust is not None, "reset(trust) first"
        try:
            token = json.loads(body)["token"]
            self.trust.verify(token)
        except Untrusted as why:
            errors = [{"code": why.code, "description": why.description}]
            return 422, {"message": "Token request failed", "errors": errors}
        except (ValueError, KeyError, TypeError):
            errors = [{"code": "invalid-payload", "description": "malformed request"}]
            return 422, {"message": "Token request failed", "errors": errors}
        minted = "pypi-" + secrets.token_urlsafe(24)
        expires = int(time.time()) + LIFETIME
        with self.lock:
            self.minted[minted] = expires
        return 200, {"success": True, "token": minted, "expires": expires}

    def may_upload(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
        with self.lock:
            return user == "__token__" and self.minted.get(password, 0) > time.time()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        service: TrustedPypi = self.server.service  # type: ignore[attr-defined]
        if self.path == "/_/oidc/audience":
            return self._json(200, {"audience": service.audience})
        self._forward(b"")

    def do_POST(self) -> None:
        service: TrustedPypi = self.server.service  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/_/oidc/mint-token":
            return self._json(*service.mint(body))
        if not service.may_upload(self.headers.get("Authorization")):
            with service.lock:
                service.refused_uploads += 1
            return self._json(
                403, {"message": "Invalid or non-existent authentication information."}
            )
        self._forward(body)
        with service.lock:
            service.uploads.append(self.path)

    def _forward(self, body: bytes) -> None:
        service: TrustedPypi = self.server.service  # type: ignore[attr-defined]
        connection = http.client.HTTPConnection("127.0.0.1", service.backend.port, timeout=30)
        skip = {"host", "authorization", "connection", "content-length"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        headers["Content-Length"] = str(len(body))
        connection.request(self.command, self.path, body=body or None, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        connection.close()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def trusted_pypi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrustedPypi]:
    """pypiserver behind the trusted-publishing TLS front; `reset(trust)` before each test."""
    folder = tmp_path_factory.mktemp("trusted-pypi")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    (folder / "packages").mkdir()
    proc, backend = start_pypi(folder / "packages")
    front = TrustedPypi(backend, ca, folder / "ca.pem").start()
    try:
        yield front
    finally:
        front.stop()
        proc.terminate()
        proc.wait(timeout=10)

"""A real npm registry on 127.0.0.1: Verdaccio, with an htpasswd user and its token, and an
optional fault-injecting proxy in front of it (tests/services/faults.py rules).

    registry = start_verdaccio(folder)      # .url, .token, .npmrc(path), .versions(name)
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.services.faults import Faults, answer_fault
from tests.services.loopback import LoopbackServer, service_of
from tests.services.oidc import Trust, Untrusted
from tests.services.pypi import free_port, listens
from tests.services.verdaccio_install import ensure

USER, PASSWORD = "release-bot", "loopback-npm-password"
CONFIG = """\
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 100
uplinks: {}
packages:
  '@*/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
log: {type: stdout, format: json, level: error}
max_body_size: 50mb
"""


@dataclass
class Verdaccio:
    port: int
    folder: Path
    token: str = ""
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def packument(self, name: str) -> dict[str, Any]:
        url = self.url + name.replace("/", "%2f")
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return dict(json.load(answer))
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return {}
            raise

    def versions(self, name: str) -> list[str]:
        return sorted(self.packument(name).get("versions", {}))

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def _request(url: str, method: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return dict(json.load(answer))


def start_verdaccio(folder: Path) -> Verdaccio:
    """Verdaccio on a free loopback port with one user, whose token it returns; waits until
    it answers (a port lost to a race is tried again on another)."""
    script = ensure()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(CONFIG)
    for _attempt in range(3):
        port = free_port()
        proc = subprocess.Popen(
            [
                "node",
                str(script),
                "--config",
                str(folder / "config.yaml"),
                "--listen",
                f"127.0.0.1:{port}",
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = Verdaccio(port, folder, proc=proc)
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(server.url + "-/ping", timeout=1).close()
                if listens(proc.pid, port):
                    user = f"{server.url}-/user/org.couchdb.user:{USER}"
                    answer = _request(user, "PUT", {"name": USER, "password": PASSWORD})
                    server.token = str(answer["token"])
                    return server
            except OSError:
                time.sleep(0.1)
        server.stop()
    raise RuntimeError("verdaccio did not start")


EXCHANGE = "/-/npm/v1/oidc/token/exchange/package/"


class FaultProxy(LoopbackServer):
    """Forwards every request to `upstream` unless a fault rule answers it first. With
    `trust`, it also serves npm's trusted-publishing exchange, which Verdaccio lacks: an OIDC
    token `trust` verifies is worth `token` (the registry user's)."""

    def __init__(self, upstream: str, trust: Trust | None = None, token: str = "") -> None:
        super().__init__()
        self.upstream = urlsplit(upstream)
        self.faults = Faults()
        self.trust, self.token = trust, token
        self.exchanged: list[str] = []  # the packages a token was handed out for
        # What npmjs answers at /-/package/NAME/collaborators (Verdaccio: 404), by package.
        self.collaborators: dict[str, dict[str, str]] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Forward


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        proxy: FaultProxy = service_of(self)
        if answer_fault(self, proxy.faults):
            return
        if self.command == "POST" and self.path.startswith(EXCHANGE):
            self._exchange(proxy)
            return
        listed = re.fullmatch(r"/-/package/(.+)/collaborators", self.path)
        if listed and unquote(listed[1]) in proxy.collaborators:
            self._json(200, proxy.collaborators[unquote(listed[1])])
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection(proxy.upstream.netloc, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    def _exchange(self, proxy: FaultProxy) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        try:
            if proxy.trust is None:
                raise Untrusted("not-found", "no trusted publishing here")
            proxy.trust.verify(bearer)
            status, answer = 201, {"token": proxy.token}
            proxy.exchanged.append(unquote(self.path.removeprefix(EXCHANGE)))
        except Untrusted as exc:
            status, answer = 401, {"message": exc.description}
        self._json(status, answer)

    def _json(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward


@pytest.fixture(scope="module")
def verdaccio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Verdaccio]:
    """One registry per test module (each test publishes its own package names)."""
    server = start_verdaccio(tmp_path_factory.mktemp("verdaccio"))
    try:
        yield server
    finally:
        server.stop()

"""A reverse proxy in front of pypiserver that makes uploads fail the ways a network does:
refused before they reach the index (503), stored by the index with the answer lost on the
way back (502 after forwarding), or the connection closed without an answer."""

from __future__ import annotations

import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.services.pypi import PypiServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    proxy: PypiProxy


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        proxy = self.server.proxy
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        action = "pass"
        if self.command == "POST":
            with proxy.lock:
                action = proxy.plan.pop(0) if proxy.plan else "pass"
                proxy.log.append(action)
            if action == "refuse":
                return self._answer(503, b"injected: unavailable")
            if action == "drop":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
        upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        if action == "lose":
            return self._answer(502, b"injected: the answer was lost")
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PypiProxy:
    def __init__(self, upstream: PypiServer) -> None:
        self.upstream = upstream
        self.lock = threading.Lock()
        # What happens to the next uploads, in order: "refuse" (503, not forwarded), "lose"
        # (stored, answered 502), "drop" (closed unanswered, not forwarded), "pass".
        self.plan: list[str] = []
        self.log: list[str] = []  # what happened to each upload
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

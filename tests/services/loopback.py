"""What the Python-served loopback services share: a threaded HTTP server on 127.0.0.1 (a
free port), started and stopped with the service, usable as a context manager."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar

Self = TypeVar("Self", bound="LoopbackServer")


class LoopbackServer:
    """Subclasses name their request handler; the handler reaches the service through
    `service_of(self)`."""

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def __init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None

    def start(self: Self) -> Self:
        server = ThreadingHTTPServer(("127.0.0.1", 0), self.request_handler())
        server.daemon_threads = True
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
            self._server = None

    def __enter__(self: Self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start the service first"
        return int(self._server.server_address[1])


def service_of(handler: BaseHTTPRequestHandler) -> Any:
    """The service a request handler serves."""
    return handler.server.service  # type: ignore[attr-defined]

"""A loopback Slack incoming webhook on 127.0.0.1 that checks Block Kit as Slack does.

`POST /services/T.../B.../X...` with a JSON payload: it must carry `text` or `blocks`;
blocks are at most 50, each of a known type, with Slack's limits (a header's plain_text at
most 150 characters, a section's text at most 3000 and at most 10 fields of 2000, context
elements at most 10, buttons with plain_text of at most 75). A valid payload is recorded and
answered `200 ok`; an invalid one `400 invalid_blocks` (or `invalid_payload`,
`no_text`), an unknown path `404 no_service`, as Slack answers, in plain text. A `Faults`
object is asked first (Slack rate-limits with `429` and `Retry-After`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.services.faults import Faults, answer_fault

PATH = "/services/T0LOOPBACK/B0LOOPBACK/loopbackWebhookSecret0123"
BLOCK_TYPES = {"section", "header", "divider", "context", "actions", "rich_text", "image"}
TEXT_TYPES = {"mrkdwn", "plain_text"}


class Invalid(Exception):
    pass


def _text(obj: Any, limit: int, *, plain: bool = False) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in TEXT_TYPES:
        raise Invalid("invalid_blocks")
    if plain and obj["type"] != "plain_text":
        raise Invalid("invalid_blocks")
    text = obj.get("text")
    if not isinstance(text, str) or not text or len(text) > limit:
        raise Invalid("invalid_blocks")


def validate(payload: Any) -> None:
    """Raise Invalid(Slack's error word) unless Slack would accept `payload`."""
    if not isinstance(payload, dict):
        raise Invalid("invalid_payload")
    blocks = payload.get("blocks")
    if blocks is None:
        if not payload.get("text"):
            raise Invalid("no_text")
        return
    if not isinstance(blocks, list) or not 0 < len(blocks) <= 50:
        raise Invalid("invalid_blocks")
    for block in blocks:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_TYPES:
            raise Invalid("invalid_blocks")
        if kind == "header":
            _text(block.get("text"), 150, plain=True)
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                raise Invalid("invalid_blocks")
            if "text" in block:
                _text(block["text"], 3000)
            fields = block.get("fields", [])
            if not isinstance(fields, list) or len(fields) > 10:
                raise Invalid("invalid_blocks")
            for item in fields:
                _text(item, 2000)
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= 10:
                raise Invalid("invalid_blocks")
            for element in elements:
                if element.get("type") != "image":
                    _text(element, 3000)
        elif kind == "actions":
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    _text(element.get("text"), 75, plain=True)


class SlackWebhook:
    def __init__(self) -> None:
        self.faults = Faults()
        self.payloads: list[dict[str, Any]] = []
        self.rejected: list[Any] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> SlackWebhook:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.webhook = self
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{PATH}"

    def texts(self) -> list[str]:
        with self._lock:
            return [str(p.get("text", "")) for p in self.payloads]

    def receive(self, path: str, body: bytes) -> tuple[int, str]:
        if path != PATH:
            return 404, "no_service"
        try:
            payload = json.loads(body)
            validate(payload)
        except ValueError:
            return 400, "invalid_payload"
        except Invalid as err:
            with self._lock:
                self.rejected.append(body)
            return 400, str(err)
        with self._lock:
            self.payloads.append(payload)
        return 200, "ok"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    webhook: SlackWebhook


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        webhook = self.server.webhook
        if answer_fault(self, webhook.faults):
            return
        length = int(self.headers.get("Content-Length") or 0)
        status, text = webhook.receive(self.path, self.rfile.read(length))
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def slack_webhook() -> Iterator[SlackWebhook]:
    """A webhook shared by one module's tests (clear `payloads` and `faults` as needed)."""
    webhook = SlackWebhook().start()
    yield webhook
    webhook.stop()

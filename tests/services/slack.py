"""A loopback Slack incoming webhook on 127.0.0.1 that checks Block Kit as Slack does.

`POST /services/T.../B.../X...` with a JSON payload (or, as Slack also takes, a form field
`payload=<json>`). It must carry `text`, `blocks` or `attachments`; blocks are at most 50,
each of a known type (section, header, divider, context, actions, rich_text, image) and
within Slack's limits:

- header: `text` is plain_text of at most 150 characters;
- section: `text` (mrkdwn or plain_text, at most 3000) and/or `fields` (at most 10 text
  objects of at most 2000);
- context: 1 to 10 `elements`, text objects or images;
- actions: 1 to 25 `elements`; a button has plain_text `text` of at most 75, an optional
  `url` of at most 3000 (Slack does not require one), `value` of at most 2000, `style`
  primary or danger;
- image: `image_url` (at most 3000) and `alt_text` (at most 2000); rich_text: `elements`;
- any block: a `block_id` of at most 255 characters, unique in the message.

A valid payload is recorded in `payloads` and answered `200 ok`; an invalid one `400
invalid_blocks` (a payload that is not a JSON object: `invalid_payload`; nothing to show:
`no_text`), an unknown path `404 no_service`, in plain text as Slack answers. A `Faults`
object is asked first; Slack rate-limits with `429`, `Retry-After` and the body
`rate_limited`, as `faults.rate_limit(retry_after=30)` does here.

    with SlackWebhook() as slack:
        httpx.post(slack.url, json={"text": "demo 1.2.0 released"})
        assert slack.texts() == ["demo 1.2.0 released"]
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.services.faults import Faults, Seen, answer_fault, plain_error
from tests.services.loopback import LoopbackServer, service_of

PATH = "/services/T0LOOPBACK/B0LOOPBACK/loopbackWebhookSecret0123"
BLOCK_TYPES = {"section", "header", "divider", "context", "actions", "rich_text", "image"}
TEXT_TYPES = {"mrkdwn", "plain_text"}
MAX_BLOCKS = 50


class Invalid(Exception):
    """A payload Slack refuses; the message is Slack's error word."""


def _check(condition: bool) -> None:
    if not condition:
        raise Invalid("invalid_blocks")


def _string(value: Any, limit: int, *, required: bool = True) -> None:
    if value is None and not required:
        return
    _check(isinstance(value, str) and 0 < len(value) <= limit)


def _text(obj: Any, limit: int, *, plain: bool = False) -> None:
    """A text object: mrkdwn or plain_text, 1 to `limit` characters."""
    _check(isinstance(obj, dict) and obj.get("type") in TEXT_TYPES)
    _check(not plain or obj["type"] == "plain_text")
    _string(obj.get("text"), limit)


def _elements(block: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    elements = block.get("elements")
    if not isinstance(elements, list):
        raise Invalid("invalid_blocks")
    _check(0 < len(elements) <= limit and all(isinstance(e, dict) for e in elements))
    return elements


def _image(obj: dict[str, Any]) -> None:
    _check("image_url" in obj or "slack_file" in obj)
    _string(obj.get("image_url"), 3000, required=False)
    _string(obj.get("alt_text"), 2000)


def _button(element: dict[str, Any]) -> None:
    _text(element.get("text"), 75, plain=True)
    _string(element.get("url"), 3000, required=False)
    _string(element.get("value"), 2000, required=False)
    _string(element.get("action_id"), 255, required=False)
    _check(element.get("style") in (None, "primary", "danger"))


def _block(block: Any) -> None:
    _check(isinstance(block, dict) and block.get("type") in BLOCK_TYPES)
    _string(block.get("block_id"), 255, required=False)
    kind = block["type"]
    if kind == "header":
        _text(block.get("text"), 150, plain=True)
    elif kind == "section":
        _check("text" in block or "fields" in block)
        if "text" in block:
            _text(block["text"], 3000)
        if "fields" in block:
            fields = block["fields"]
            _check(isinstance(fields, list) and 0 < len(fields) <= 10)
            for item in fields:
                _text(item, 2000)
    elif kind == "context":
        for element in _elements(block, 10):
            if element.get("type") == "image":
                _image(element)
            else:
                _text(element, 3000)
    elif kind == "actions":
        for element in _elements(block, 25):
            _check(isinstance(element.get("type"), str))
            if element["type"] == "button":
                _button(element)
    elif kind == "image":
        _image(block)
        if "title" in block:
            _text(block["title"], 2000, plain=True)
    elif kind == "rich_text":
        _elements(block, 1000)


def validate(payload: Any) -> None:
    """Raise Invalid(Slack's error word) unless Slack would accept `payload`."""
    if not isinstance(payload, dict):
        raise Invalid("invalid_payload")
    text = payload.get("text")
    if text is not None and not isinstance(text, str):
        raise Invalid("invalid_payload")
    blocks = payload.get("blocks")
    if blocks is None:
        if not text and not payload.get("attachments"):
            raise Invalid("no_text")
        return
    _check(isinstance(blocks, list) and 0 < len(blocks) <= MAX_BLOCKS)
    for block in blocks:
        _block(block)
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    _check(len(ids) == len(set(ids)))


def slack_error(status: int, message: str) -> tuple[bytes, str]:
    """Slack's plain-text answer, for faults injected into the webhook."""
    if status == 429:
        return b"rate_limited", "text/plain; charset=utf-8"
    return plain_error(status, message)


class SlackWebhook(LoopbackServer):
    """The loopback webhook; received payloads in `payloads`, refused bodies in `rejected`."""

    def __init__(self) -> None:
        super().__init__()
        self.faults = Faults()
        self.payloads: list[dict[str, Any]] = []
        self.rejected: list[bytes] = []
        self._lock = threading.Lock()

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    @property
    def url(self) -> str:
        """The full webhook URL (its path is the secret part, as on Slack)."""
        return f"http://127.0.0.1:{self.port}{PATH}"

    @property
    def log(self) -> list[Seen]:
        """Every request received, with the faults done to it."""
        return self.faults.requests

    def texts(self) -> list[str]:
        with self._lock:
            return [str(p.get("text", "")) for p in self.payloads]

    def clear(self) -> None:
        """Forget the payloads and the fault rules (the request log stays)."""
        with self._lock:
            self.payloads.clear()
            self.rejected.clear()
        self.faults.clear()

    def receive(self, target: str, content_type: str, body: bytes) -> tuple[int, str]:
        """Slack's answer to one POST: status and plain-text body."""
        if urlsplit(target).path != PATH:
            return 404, "no_service"
        try:
            if content_type.startswith("application/x-www-form-urlencoded"):
                body = parse_qs(body.decode()).get("payload", [""])[-1].encode()
            payload = json.loads(body)
            validate(payload)
        except (ValueError, UnicodeDecodeError):
            error = "invalid_payload"
        except Invalid as err:
            error = str(err)
        else:
            with self._lock:
                self.payloads.append(payload)
            return 200, "ok"
        with self._lock:
            self.rejected.append(body)
        return 400, error


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        webhook: SlackWebhook = service_of(self)
        if answer_fault(self, webhook.faults, error_body=slack_error):
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(400, "invalid_payload")
            return
        body = self.rfile.read(length)
        try:
            status, text = webhook.receive(self.path, self.headers.get("Content-Type", ""), body)
        except Exception as err:  # a bug here must reach the test as a 500, not a hang
            status, text = 500, f"internal error: {err!r}"
        self._send(status, text)

    def _send(self, status: int, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def slack_webhook() -> Iterator[SlackWebhook]:
    """A webhook shared by one module's tests: `url`, `payloads`, `faults` (`clear()` them
    as needed)."""
    with SlackWebhook() as webhook:
        yield webhook

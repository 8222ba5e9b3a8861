"""Loopback Discord and Microsoft Teams webhooks, and a Mastodon server's statuses API, on
127.0.0.1, each checking the request as the real service does:

- Discord `POST /api/webhooks/<id>/<token>`: JSON with `content`, `embeds` or both; at most
  10 embeds, title <= 256, description <= 4096, <= 25 fields (name <= 256, value <= 1024),
  6000 characters in all, content <= 2000; `204 No Content`, or `400` with
  `{"message": ..., "code": 50006}`; 429 with `retry_after` when rate-limited.
- Teams (Workflows) `POST /workflows/<id>/triggers/manual/paths/invoke?sig=...`: JSON
  `{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
  "content": {"type": "AdaptiveCard", "version": ..., "body": [...]}}]}` of at most 28 KB;
  `202 Accepted`, else `400`.
- Mastodon `POST /api/v1/statuses` with `Authorization: Bearer <token>` (401 otherwise):
  `status` of 1 to 500 characters, `visibility` one of four; the answer is the status as
  JSON; the same `Idempotency-Key` gives the same status, never a second one.

Every accepted message is kept in `messages`; a `Faults` object is asked first.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.services.faults import Faults, answer_fault
from tests.services.loopback import LoopbackServer, service_of

DISCORD_PATH = "/api/webhooks/1200000000000000001/loopbackDiscordWebhookToken0123"
TEAMS_PATH = "/workflows/0a1b2c3d/triggers/manual/paths/invoke"
TEAMS_SIG = "loopbackTeamsSignature0123456789"
MASTODON_TOKEN = "loopback-mastodon-access-token-0123"
CARD = "application/vnd.microsoft.card.adaptive"


class Invalid(Exception):
    pass


def check_discord(payload: Any) -> None:
    if not isinstance(payload, dict) or not (payload.get("content") or payload.get("embeds")):
        raise Invalid("Cannot send an empty message")
    if len(payload.get("content") or "") > 2000:
        raise Invalid("content: Must be 2000 or fewer in length.")
    embeds = payload.get("embeds") or []
    total = 0
    if len(embeds) > 10:
        raise Invalid("embeds: Must be 10 or fewer in length.")
    for embed in embeds:
        texts = [embed.get("title") or "", embed.get("description") or ""]
        if len(texts[0]) > 256 or len(texts[1]) > 4096:
            raise Invalid("embeds.0: title or description too long")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise Invalid("embeds.0.fields: Must be 25 or fewer in length.")
        for item in fields:
            if not item.get("name") or not item.get("value"):
                raise Invalid("embeds.0.fields.0: This field is required")
            if len(item["name"]) > 256 or len(item["value"]) > 1024:
                raise Invalid("embeds.0.fields.0.value: Must be 1024 or fewer in length.")
            texts += [item["name"], item["value"]]
        total += sum(map(len, texts)) + len((embed.get("footer") or {}).get("text", ""))
    if total > 6000:
        raise Invalid("Embed size exceeds maximum size of 6000")


TEAMS_MAX_BYTES = 28 * 1024  # "The message size limit is 28 KB" (learn.microsoft.com)


def check_teams(payload: Any) -> None:
    if len(json.dumps(payload).encode()) > TEAMS_MAX_BYTES:
        raise Invalid("the message is over 28 KB")
    if not isinstance(payload, dict) or payload.get("type") != "message":
        raise Invalid("the body is not a message")
    attachments = payload.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        raise Invalid("no attachments")
    for attachment in attachments:
        content = attachment.get("content") or {}
        if attachment.get("contentType") != CARD or content.get("type") != "AdaptiveCard":
            raise Invalid("an attachment is not an Adaptive Card")
        if not content.get("version") or not isinstance(content.get("body"), list):
            raise Invalid("an Adaptive Card needs version and body")
        for element in content["body"]:
            if element.get("type") == "TextBlock" and not isinstance(element.get("text"), str):
                raise Invalid("a TextBlock needs text")
        for action in content.get("actions") or []:
            if action.get("type") == "Action.OpenUrl" and not str(action.get("url", "")).startswith(
                "http"
            ):
                raise Invalid("Action.OpenUrl needs an absolute url")


class ChatServices(LoopbackServer):
    """The three services on one loopback port (each answers on its own paths)."""

    def __init__(self) -> None:
        super().__init__()
        self.faults = Faults()
        self.discord: list[dict[str, Any]] = []
        self.teams: list[dict[str, Any]] = []
        self.statuses: list[dict[str, Any]] = []
        self._keys: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            "DISCORD_WEBHOOK_URL": self.base + DISCORD_PATH,
            "TEAMS_WEBHOOK_URL": f"{self.base}{TEAMS_PATH}?api-version=1&sig={TEAMS_SIG}",
            "MASTODON_ACCESS_TOKEN": MASTODON_TOKEN,
        }

    def clear(self) -> None:
        with self.lock:
            self.discord.clear()
            self.teams.clear()
            self.statuses.clear()
            self._keys.clear()
        self.faults.clear()

    def receive(
        self, path: str, query: dict[str, list[str]], headers: Any, body: bytes
    ) -> tuple[int, Any]:
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"message": "400: Bad Request", "code": 50109}
        with self.lock:
            if path == DISCORD_PATH:
                try:
                    check_discord(payload)
                except Invalid as err:
                    return 400, {"message": "Invalid Form Body", "code": 50035, "errors": str(err)}
                self.discord.append(payload)
                return 204, None
            if path == TEAMS_PATH:
                if query.get("sig") != [TEAMS_SIG]:
                    return 401, {"error": {"code": "DirectApiAuthorizationRequired"}}
                try:
                    check_teams(payload)
                except Invalid as err:
                    return 400, {"error": {"code": "InvalidRequestContent", "message": str(err)}}
                self.teams.append(payload)
                return 202, None
            if path == "/api/v1/statuses":
                return self._status(headers, payload)
        return 404, {"error": "Record not found"}

    def _status(self, headers: Any, payload: Any) -> tuple[int, Any]:
        if headers.get("Authorization") != f"Bearer {MASTODON_TOKEN}":
            return 401, {"error": "The access token is invalid"}
        status = payload.get("status") if isinstance(payload, dict) else None
        visibility = payload.get("visibility", "public")
        if not isinstance(status, str) or not 0 < len(status) <= 500:
            return 422, {"error": "Validation failed: Text character limit of 500 exceeded"}
        if visibility not in ("public", "unlisted", "private", "direct"):
            return 422, {"error": "Validation failed: Visibility is invalid"}
        key = headers.get("Idempotency-Key")
        if key and key in self._keys:
            return 200, self._keys[key]
        made = {"id": str(len(self.statuses) + 1), "content": status, "visibility": visibility}
        made["url"] = f"{self.base}/@release/{made['id']}"
        self.statuses.append(made)
        if key:
            self._keys[key] = made
        return 200, made


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        service: ChatServices = service_of(self)
        if answer_fault(self, service.faults):
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = urlsplit(self.path)
        status, answer = service.receive(target.path, parse_qs(target.query), self.headers, body)
        data = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def chat_services() -> Iterator[ChatServices]:
    with ChatServices() as services:
        yield services

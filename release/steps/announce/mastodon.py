"""Toot the release on Mastodon: `POST /api/v1/statuses` with MASTODON_ACCESS_TOKEN (a token
with the `write:statuses` scope). The Idempotency-Key makes a retried post one toot."""

from __future__ import annotations

import hashlib
import re

from release.base import secrets
from release.core.engine.context import ReleaseContext
from release.remote.net import Http, RetryPolicy, Service
from release.steps.announce.announcement import Failed, Released
from release.steps.announce.announcer import Announcer
from release.steps.announce.text import clip, fit

TOKEN = "MASTODON_ACCESS_TOKEN"
MAX_STATUS = 500  # Mastodon's default limit; a URL counts as 23 characters, but be safe


def released_status(message: Released) -> str:
    head = f"{clip(message.title, 200)} 🎉"
    tail = f"\n\n{message.link}" if message.link else ""
    room = MAX_STATUS - len(head) - len(tail) - 2
    lines = fit([f"- {clip(_plain(item), 200)}" for item in message.items], room)
    return head + ("\n\n" + "\n".join(lines) if lines else "") + tail


def _plain(markdown: str) -> str:
    """A toot is plain text: `[text](url)` -> text, no emphasis marks."""
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown).replace("**", "").replace("`", "")


def failed_status(message: Failed) -> str:
    then = f"\n\n{message.then}"
    return f"{message.title}: {message.error}"[: MAX_STATUS - len(then)] + then


class MastodonStep(Announcer):
    name = "mastodon"
    label = "Mastodon"
    section = "mastodon"

    def missing(self, ctx: ReleaseContext) -> str | None:
        if not ctx.config.mastodon.instance:
            return "[mastodon] instance is not set"
        return None if secrets.get(TOKEN) else f"{TOKEN} is not set"

    def describe(self, ctx: ReleaseContext) -> str:
        return f"toot the release on {ctx.config.mastodon.instance}"

    def send_released(self, ctx: ReleaseContext, message: Released) -> None:
        self._post(ctx, released_status(message), f"{message.project} {message.version}")

    def send_failed(self, ctx: ReleaseContext, message: Failed) -> None:
        # An account that followers read may keep failures to the maintainers' channels.
        if ctx.config.mastodon.failures:
            self._post(ctx, failed_status(message), f"{message.title} {message.error}")

    def _post(self, ctx: ReleaseContext, status: str, what: str) -> None:
        instance = (ctx.config.mastodon.instance or "").rstrip("/")
        key = hashlib.sha256(f"release-toolkit {what}".encode()).hexdigest()
        headers = {"Authorization": f"Bearer {secrets.get(TOKEN)}", "Idempotency-Key": key}
        policy = RetryPolicy(attempts=4, max_delay=30, deadline=60)
        with Http(Service(f"Mastodon ({instance})", TOKEN), policy=policy) as http:
            body = {"status": status, "visibility": ctx.config.mastodon.visibility}
            http.request("POST", f"{instance}/api/v1/statuses", json=body, headers=headers)

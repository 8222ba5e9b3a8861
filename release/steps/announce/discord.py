"""Tell a Discord channel through its webhook (DISCORD_WEBHOOK_URL): one embed with the
changelog's lines and where the release landed. No text of the changelog may ping anyone
(`allowed_mentions` is empty)."""

from __future__ import annotations

from typing import Any

from release.core.engine.context import ReleaseContext
from release.steps.announce.announcement import Failed, Released
from release.steps.announce.announcer import WebhookAnnouncer
from release.steps.announce.text import fit

WEBHOOK = "DISCORD_WEBHOOK_URL"
GREEN, RED = 0x2EA043, 0xCF222E
# Discord's limits: title 256, description 4096, 25 fields of 1024, footer 2048, 6000 in
# all; these sum to under 5,000.
MAX_TITLE, MAX_DESCRIPTION, MAX_FIELD, MAX_FOOTER = 256, 3500, 1024, 200


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def released_payload(message: Released) -> dict[str, Any]:
    items = [f"- {item}" for item in message.items]
    lines = "\n".join(fit(items, MAX_DESCRIPTION, link=message.link))
    embed: dict[str, Any] = {
        "title": _cut(message.title, MAX_TITLE),
        "description": lines or "No user-facing changes.",
        "color": GREEN,
        "footer": {"text": _cut(f"tag {message.tag}", MAX_FOOTER)},
    }
    if message.link:
        embed["url"] = message.link
    where = "\n".join(
        fit([f"[{p.label}]({p.url})" if p.url else p.label for p in message.places], MAX_FIELD)
    )
    if where:
        embed["fields"] = [{"name": "Where", "value": where}]
    return {
        "content": _cut(message.title, 2000),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


def failed_payload(message: Failed) -> dict[str, Any]:
    embed = {
        "title": _cut(message.title, MAX_TITLE),
        "description": _cut(f"**{message.step}** failed: {message.error}", MAX_DESCRIPTION),
        "color": RED,
        "fields": [{"name": "What now", "value": _cut(message.then, MAX_FIELD)}],
    }
    return {
        "content": _cut(message.title, 2000),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


class DiscordStep(WebhookAnnouncer):
    name = "discord"
    label = "Discord"
    webhook = WEBHOOK
    section = "discord"

    def describe(self, ctx: ReleaseContext) -> str:
        return "tell Discord through the channel's webhook"

    def released_payload(self, message: Released) -> dict[str, Any]:
        return released_payload(message)

    def failed_payload(self, message: Failed) -> dict[str, Any]:
        return failed_payload(message)

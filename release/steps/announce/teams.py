"""Tell a Microsoft Teams channel through a Workflows webhook (TEAMS_WEBHOOK_URL, the
"Post to a channel when a webhook request is received" template; the retired Office 365
connectors took the same message): an Adaptive Card with the changelog's lines and a
button per place the release landed."""

from __future__ import annotations

import json
from typing import Any

from release.core.engine.context import ReleaseContext
from release.steps.announce.announcement import Failed, Released
from release.steps.announce.announcer import WebhookAnnouncer
from release.steps.announce.text import clip, fit

WEBHOOK = "TEAMS_WEBHOOK_URL"
CARD = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_ITEMS = 15  # a card stays readable in a channel
# Teams refuses a card over about 28 KB: the changelog's lines and the places get 12,000
# and 2,000 characters, which JSON keeps well under that limit.
MAX_TEXT, MAX_PLACES, MAX_ERROR = 12_000, 2_000, 2_000
MAX_BYTES = 20_000  # the card as JSON: under the documented 28 KB, and the 21 KB seen


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    content: dict[str, Any] = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if actions:
        content["actions"] = actions
    return {
        "type": "message",
        "attachments": [{"contentType": CARD, "contentUrl": None, "content": content}],
    }


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def released_payload(message: Released) -> dict[str, Any]:
    """The card, within MAX_BYTES however the changelog's lines are written (a line of
    non-ASCII text takes up to six bytes a character in JSON): fewer lines until it fits."""
    budget = MAX_TEXT
    while True:
        payload = _released_card(message, budget)
        if len(json.dumps(payload).encode()) <= MAX_BYTES or budget < 100:
            return payload
        budget //= 2


def _released_card(message: Released, budget: int) -> dict[str, Any]:
    items = [f"- {item}" for item in message.items]
    items = fit(items, budget, link=message.link, limit=MAX_ITEMS)
    body = [
        _text(message.title, size="Large", weight="Bolder"),
        _text("\n".join(items) or "No user-facing changes."),
    ]
    unlinked = [f"- {p.label}" for p in message.places if not p.url]
    if unlinked:
        body.append(_text("\n".join(fit(unlinked, MAX_PLACES)), isSubtle=True))
    body.append(_text(clip(f"Tag {message.tag}", 200), isSubtle=True, size="Small"))
    actions = [
        {"type": "Action.OpenUrl", "title": p.label[:60], "url": p.url}
        for p in message.places
        if p.url
    ]
    return card(body, actions)


def failed_payload(message: Failed) -> dict[str, Any]:
    return card(
        [
            _text(message.title, size="Large", weight="Bolder", color="Attention"),
            _text(clip(f"**{message.step}** failed: {message.error}", MAX_ERROR)),
            _text(message.then),
        ],
        [],
    )


class TeamsStep(WebhookAnnouncer):
    name = "teams"
    label = "Microsoft Teams"
    webhook = WEBHOOK
    section = "teams"

    def describe(self, ctx: ReleaseContext) -> str:
        return "tell Microsoft Teams through the channel's workflow webhook"

    def released_payload(self, message: Released) -> dict[str, Any]:
        return released_payload(message)

    def failed_payload(self, message: Failed) -> dict[str, Any]:
        return failed_payload(message)

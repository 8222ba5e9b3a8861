"""The loopback Slack webhook accepts what Slack accepts and refuses what Slack refuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.services.slack import SlackWebhook

GOOD: dict[str, Any] = {
    "text": "demo 1.2.0 released",
    "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": "demo 1.2.0 released"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "• *cli*: greet in French"}},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Tag `v1.2.0`"}]},
    ],
}


@pytest.mark.parametrize(
    ("payload", "answer"),
    [
        (
            {"blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}]},
            "invalid_blocks",
        ),
        (
            {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]},
            "invalid_blocks",
        ),
        (
            {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]},
            "invalid_blocks",
        ),
        ({"blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
        ({"blocks": [{"type": "table"}]}, "invalid_blocks"),
        ({}, "no_text"),
    ],
)
def test_slack_refuses_what_slack_refuses(
    slack_webhook: SlackWebhook, payload: dict[str, Any], answer: str
) -> None:
    response = httpx.post(slack_webhook.url, json=payload)
    assert (response.status_code, response.text) == (400, answer)


def test_a_good_payload_is_recorded(slack_webhook: SlackWebhook) -> None:
    before = len(slack_webhook.payloads)
    response = httpx.post(slack_webhook.url, json=GOOD)
    assert (response.status_code, response.text) == (200, "ok")
    assert slack_webhook.payloads[before:] == [GOOD]
    wrong = httpx.post(slack_webhook.url.rsplit("/", 1)[0] + "/other", json=GOOD)
    assert (wrong.status_code, wrong.text) == (404, "no_service")


def test_rate_limits(slack_webhook: SlackWebhook) -> None:
    slack_webhook.faults.rate_limit(retry_after=3)
    try:
        limited = httpx.post(slack_webhook.url, json=GOOD)
        assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
    finally:
        slack_webhook.faults.clear()

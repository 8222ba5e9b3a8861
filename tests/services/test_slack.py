"""The loopback Slack webhook accepts what Slack accepts and refuses what Slack refuses."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.services.slack import SlackWebhook


def text(kind: str, value: str) -> dict[str, str]:
    return {"type": kind, "text": value}


def section(**fields: Any) -> dict[str, Any]:
    return {"type": "section", **fields}


def button(label: str, url: str = "https://github.com/acme/demo") -> dict[str, Any]:
    return {"type": "button", "text": text("plain_text", label), "url": url}


GOOD: dict[str, Any] = {
    "text": "demo 1.2.0 released",
    "blocks": [
        {"type": "header", "text": text("plain_text", "demo 1.2.0 released")},
        section(text=text("mrkdwn", "• *cli*: greet in French")),
        {"type": "divider"},
        {"type": "context", "elements": [text("mrkdwn", "Tag `v1.2.0`")]},
    ],
}

RICH: dict[str, Any] = {
    "blocks": [
        {"type": "header", "text": text("plain_text", "x" * 150), "block_id": "head"},
        section(
            text=text("plain_text", "x" * 3000),
            fields=[text("mrkdwn", "y" * 2000)] * 10,
            block_id="body",
        ),
        {"type": "actions", "elements": [button("x" * 75), button("Notes")]},
        {"type": "image", "image_url": "https://example.test/a.png", "alt_text": "chart"},
        {
            "type": "context",
            "elements": [
                {"type": "image", "image_url": "https://example.test/i.png", "alt_text": "i"},
                *[text("plain_text", "z")] * 9,
            ],
        },
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": []}]},
    ],
}


def blocks(*items: Any) -> dict[str, Any]:
    return {"text": "fallback", "blocks": list(items)}


@pytest.mark.parametrize(
    "payload",
    [
        blocks({"type": "header", "text": text("mrkdwn", "x")}),
        blocks({"type": "header", "text": text("plain_text", "x" * 151)}),
        blocks({"type": "header"}),
        blocks(section(text=text("mrkdwn", "x" * 3001))),
        blocks(section(text=text("markdown", "x"))),
        blocks(section(text=text("mrkdwn", ""))),
        blocks(section()),
        blocks(section(fields=[text("mrkdwn", "f")] * 11)),
        blocks(section(fields=[text("mrkdwn", "f" * 2001)])),
        blocks({"type": "context", "elements": [text("mrkdwn", "c")] * 11}),
        blocks({"type": "context", "elements": ["not an object"]}),
        blocks({"type": "context", "elements": []}),
        blocks({"type": "actions", "elements": [button("x" * 76)]}),
        blocks({"type": "actions", "elements": [button("go", url="https://x.test/" + "u" * 3000)]}),
        blocks({"type": "actions", "elements": [{**button("go"), "text": text("mrkdwn", "go")}]}),
        blocks({"type": "actions", "elements": [button("go")] * 26}),
        blocks({"type": "image", "image_url": "https://example.test/a.png"}),
        blocks({"type": "rich_text"}),
        blocks(*[{"type": "divider"}] * 51),
        blocks(),
        blocks({"type": "table"}),
        blocks("divider"),
        blocks({"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "a"}),
        blocks({"type": "divider", "block_id": "b" * 256}),
    ],
)
def test_slack_refuses_invalid_blocks(slack_webhook: SlackWebhook, payload: dict[str, Any]) -> None:
    before = len(slack_webhook.payloads)
    response = httpx.post(slack_webhook.url, json=payload)
    assert (response.status_code, response.text) == (400, "invalid_blocks")
    assert len(slack_webhook.payloads) == before


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        (b"{}", "no_text"),
        (b'{"text": ""}', "no_text"),
        (b"[1, 2]", "invalid_payload"),
        (b"{not json", "invalid_payload"),
        (b'{"text": 42}', "invalid_payload"),
    ],
)
def test_slack_refuses_bad_payloads(slack_webhook: SlackWebhook, body: bytes, answer: str) -> None:
    response = httpx.post(slack_webhook.url, content=body)
    assert (response.status_code, response.text) == (400, answer)
    assert response.headers["content-type"].startswith("text/plain")


def test_good_payloads_are_recorded(slack_webhook: SlackWebhook) -> None:
    slack_webhook.clear()
    for payload in (GOOD, RICH, {"text": "plain"}, {"attachments": [{"text": "legacy"}]}):
        response = httpx.post(slack_webhook.url, json=payload)
        assert (response.status_code, response.text) == (200, "ok"), payload
    form = httpx.post(slack_webhook.url, data={"payload": json.dumps({"text": "from a form"})})
    assert (form.status_code, form.text) == (200, "ok")
    assert slack_webhook.payloads[:2] == [GOOD, RICH]
    assert slack_webhook.texts() == ["demo 1.2.0 released", "", "plain", "", "from a form"]
    wrong = httpx.post(slack_webhook.url.rsplit("/", 1)[0] + "/other", json=GOOD)
    assert (wrong.status_code, wrong.text) == (404, "no_service")
    assert len(slack_webhook.payloads) == 5


def test_faults(slack_webhook: SlackWebhook) -> None:
    slack_webhook.clear()
    slack_webhook.faults.rate_limit(retry_after=3)
    slack_webhook.faults.fail(status=500, nth=2)
    try:
        limited = httpx.post(slack_webhook.url, json=GOOD)
        assert (limited.status_code, limited.text) == (429, "rate_limited")
        assert limited.headers["retry-after"] == "3"
        assert httpx.post(slack_webhook.url, json=GOOD).status_code == 200
        assert httpx.post(slack_webhook.url, json=GOOD).status_code == 500  # 2nd for that rule
        assert httpx.post(slack_webhook.url, json=GOOD).status_code == 200
    finally:
        slack_webhook.faults.clear()
    assert slack_webhook.payloads == [GOOD, GOOD]
    assert [s.faults for s in slack_webhook.log[-4:]] == [("status",), (), ("status",), ()]

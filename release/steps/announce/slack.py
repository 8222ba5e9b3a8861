"""Tell Slack through an incoming webhook: what was released and where, or which step failed
and how to resume. Slack never fails a release: its errors become warnings."""

from __future__ import annotations

import re
import sys
from typing import Any

from release.base import secrets
from release.base.errors import ReleaseError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.remote.net import Http, RetryPolicy, Service
from release.steps.announce import announcement
from release.steps.announce import text as announce_text
from release.steps.announce.announcer import record, sent

WEBHOOK = "SLACK_WEBHOOK_URL"
MAX_HIGHLIGHTS = 8
MAX_SECTION = 2900  # Slack refuses section text over 3000 characters


def mrkdwn(item: str) -> str:
    """A markdown bullet line as Slack's mrkdwn: links and emphasis kept readable."""
    text = escape(item)  # before the links below add Slack's own <>
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"<\2|\1>", text)  # md -> Slack links
    return f"• {text.replace('**', '*')}"


def escape(text: str) -> str:
    """Slack's mrkdwn reads `&`, `<` and `>` as control characters: a commit subject such as
    "Vec<T> & co" must be sent as `&amp;`, `&lt;`, `&gt;` (api.slack.com, formatting text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    return f"<{escape(url)}|{escape(label)}>"


def highlights(section: str) -> list[str]:
    """The changelog's bullet lines (announcement.bullets), in mrkdwn."""
    return [mrkdwn(item) for item in announcement.bullets(section)]


def success_payload(ctx: ReleaseContext) -> dict[str, Any]:
    message = announcement.released(ctx)  # what every announcer says, shaped for Slack
    title = message.title[:150]
    items = [mrkdwn(item) for item in message.items]
    whole = link(message.link, "the whole release") if message.link else ""
    body = (
        "\n".join(announce_text.fit(items, MAX_SECTION, link=whole, limit=MAX_HIGHLIGHTS))
        or "No user-facing changes."
    )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}},
    ]
    places = [link(p.url, p.label) if p.url else escape(p.label) for p in message.places]
    if places:
        blocks.append({"type": "divider"})
        where = "\n".join(announce_text.fit(places, MAX_SECTION))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": where}})
    tag = {"type": "mrkdwn", "text": f"Tag `{escape(announce_text.clip(ctx.tag, 200))}`"}
    blocks.append({"type": "context", "elements": [tag]})
    return {"text": escape(title), "blocks": blocks}


def failure_payload(
    ctx: ReleaseContext, step: str, error: str, resumable: bool = True
) -> dict[str, Any]:
    message = announcement.failed(ctx, step, error, resumable)
    title = message.title[:150]
    text = f"*{step}* failed: {escape(message.error)}"[:2000] + "\n" + message.then
    return {
        "text": escape(title),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        ],
    }


def post(payload: dict[str, Any]) -> None:
    url = secrets.get(WEBHOOK)
    if not url:
        raise ReleaseError("no Slack webhook", hint=f"set {WEBHOOK}")
    if not announce_text.is_web(url):
        raise ReleaseError(f"{WEBHOOK} is not an http(s) URL: nothing was sent")
    policy = RetryPolicy(attempts=4, max_delay=30, deadline=60)
    with Http(Service("Slack", WEBHOOK), policy=policy) as http:
        http.request("POST", url, json=payload)


class SlackStep(Step):
    name = "slack"
    public = False  # a message is not part of the release: never a reason to resume

    def applies(self, ctx: ReleaseContext) -> Verdict:
        enabled = ctx.config.slack.enabled
        if enabled is False:
            return Skip("[slack] enabled = false")
        return skip_unless(enabled or secrets.get(WEBHOOK), f"{WEBHOOK} is not set")

    def describe(self, ctx: ReleaseContext) -> str:
        return "tell Slack through the incoming webhook"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        url = secrets.get(WEBHOOK)
        if not url:
            return [
                Problem(
                    self.name,
                    f"[slack] enabled = true, but {WEBHOOK} is not set",
                    hint=f"set {WEBHOOK}, or `release login {WEBHOOK}`; Slack is told nothing",
                    severity="warning",
                )
            ]
        problem = announce_text.webhook_problem(self.name, WEBHOOK, url)
        return [problem] if problem is not None else []

    def done(self, ctx: ReleaseContext) -> bool:
        # Slack cannot be asked what it was told; the journal is the only witness.
        return sent(ctx, self.name)

    def run(self, ctx: ReleaseContext) -> None:
        self._send(ctx, success_payload(ctx), "success")

    def announce_failure(
        self, ctx: ReleaseContext, step: str, error: str, resumable: bool = True
    ) -> None:
        if self.applies(ctx):
            self._send(ctx, failure_payload(ctx, step, error, resumable), "failure")

    def _send(self, ctx: ReleaseContext, payload: dict[str, Any], kind: str) -> None:
        try:
            post(payload)
        except Exception as exc:  # Slack never fails a release, whatever went wrong
            message = exc.message if isinstance(exc, ReleaseError) else type(exc).__name__
            sys.stderr.write(secrets.redact(f"warning: Slack was not told: {message}\n"))
            record(ctx, self.name, kind=kind, result="failed", error=message)
            return
        record(ctx, self.name, kind=kind, result="sent")

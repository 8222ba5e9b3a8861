"""What every announcer does alike: on when its secret is there, told about success once
(the journal is the only witness of a message), told about a failure with what to do, and
never failing a release: a message that could not be sent is a warning."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from release.base import secrets
from release.base.errors import ReleaseError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Skip, Step, Verdict
from release.remote.net import Http, RetryPolicy, Service
from release.steps.announce.announcement import Failed, Released, failed, released
from release.steps.announce.text import webhook_problem


def sent(ctx: ReleaseContext, step: str) -> bool:
    """The journal says this release's success was sent (it is the only witness of a
    message). A cut of several packages keeps one journal: each package's message is its
    own, whether its lines are named `pkg/step` or carry `package`."""
    journal = ctx.journal
    if journal is None:
        return False
    package = ctx.package.name if ctx.package is not None else None

    def ours(entry: dict[str, Any]) -> bool:
        if package is None:
            return entry.get("step") == step
        return entry.get("step") == f"{package}/{step}" or (
            entry.get("step") == step and entry.get("package") == package
        )

    return any(
        ours(e) and e.get("result") == "sent" and e.get("kind") == "success"
        for e in journal.entries()
    )


def record(ctx: ReleaseContext, step: str, **detail: Any) -> None:
    """A message's journal line, naming its package in independent mode."""
    if ctx.package is not None:
        detail["package"] = ctx.package.name
    ctx.record(step, "item", **detail)


class Announcer(Step):
    public = False  # a message is not part of the release: never a reason to resume
    label: str  # "Discord", for warnings
    section: str  # "discord", the config section that turns it on or off

    def enabled(self, ctx: ReleaseContext) -> bool | None:
        value = getattr(ctx.config, self.section).enabled
        return value if isinstance(value, bool) else None

    def missing(self, ctx: ReleaseContext) -> str | None:
        """What is not set for this announcer to send (a secret, a server), or None."""
        raise NotImplementedError

    def send_released(self, ctx: ReleaseContext, message: Released) -> None:
        raise NotImplementedError

    def send_failed(self, ctx: ReleaseContext, message: Failed) -> None:
        raise NotImplementedError

    def applies(self, ctx: ReleaseContext) -> Verdict:
        enabled = self.enabled(ctx)
        if enabled is False:
            return Skip(f"[{self.section}] enabled = false")
        missing = self.missing(ctx)
        return Skip(missing) if missing and not enabled else APPLIES

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        missing = self.missing(ctx)
        if missing:
            return [
                Problem(
                    self.name,
                    f"[{self.section}] enabled = true, but {missing}",
                    hint=f"{self.label} is told nothing; or [{self.section}] enabled = false",
                    severity="warning",
                )
            ]
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        return sent(ctx, self.name)

    def run(self, ctx: ReleaseContext) -> None:
        if self.missing(ctx) is None:
            message = released(ctx)
            self._send(ctx, "success", lambda: self.send_released(ctx, message))

    def announce_failure(
        self, ctx: ReleaseContext, step: str, error: str, resumable: bool = True
    ) -> None:
        if self.applies(ctx) and self.missing(ctx) is None:
            message = failed(ctx, step, error, resumable)
            self._send(ctx, "failure", lambda: self.send_failed(ctx, message))

    def _send(self, ctx: ReleaseContext, kind: str, send: Callable[[], None]) -> None:
        try:
            send()
        except Exception as exc:  # an announcer never fails a release, whatever went wrong
            text = type(exc).__name__
            if isinstance(exc, ReleaseError):
                text = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
            sys.stderr.write(secrets.redact(f"warning: {self.label} was not told: {text}\n"))
            record(ctx, self.name, kind=kind, result="failed", error=secrets.redact(text))
            return
        record(ctx, self.name, kind=kind, result="sent")


class WebhookAnnouncer(Announcer):
    """An announcer that POSTs JSON to a webhook URL kept in a secret (Discord, Teams)."""

    webhook: str  # the secret's name: DISCORD_WEBHOOK_URL

    def released_payload(self, message: Released) -> dict[str, Any]:
        raise NotImplementedError

    def failed_payload(self, message: Failed) -> dict[str, Any]:
        raise NotImplementedError

    def missing(self, ctx: ReleaseContext) -> str | None:
        return None if secrets.get(self.webhook) else f"{self.webhook} is not set"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        url = secrets.get(self.webhook)
        bad = webhook_problem(self.name, self.webhook, url) if url else None
        return [bad] if bad is not None else super().check(ctx)

    def send_released(self, ctx: ReleaseContext, message: Released) -> None:
        self._post(self.released_payload(message))

    def send_failed(self, ctx: ReleaseContext, message: Failed) -> None:
        self._post(self.failed_payload(message))

    def _post(self, payload: dict[str, Any]) -> None:
        if webhook_problem(self.name, self.webhook, secrets.get(self.webhook) or ""):
            raise ReleaseError(f"{self.webhook} is not an http(s) URL: nothing was sent")
        policy = RetryPolicy(attempts=4, max_delay=30, deadline=60)
        with Http(Service(self.label, self.webhook), policy=policy) as http:
            http.request("POST", secrets.get(self.webhook) or "", json=payload)

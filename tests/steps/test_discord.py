"""The Discord announcer against a loopback webhook that checks Discord's limits."""

from __future__ import annotations

import pytest

from release.core.engine.context import ReleaseContext
from release.steps.announce.discord import DiscordStep
from tests.services.chat_webhooks import ChatServices

from ..conftest import Repo
from .announce_fixtures import RELEASE_PAGE, announced


@pytest.fixture
def ctx(repo: Repo, chat_services: ChatServices, monkeypatch: pytest.MonkeyPatch) -> ReleaseContext:
    for name, value in chat_services.env.items():
        monkeypatch.setenv(name, value)
    chat_services.clear()
    return announced(repo)


def test_one_embed_with_the_changes_and_where(
    ctx: ReleaseContext, chat_services: ChatServices
) -> None:
    step = DiscordStep()
    assert step.applies(ctx) and step.check(ctx) == [] and not step.done(ctx)
    step.run(ctx)
    [payload] = chat_services.discord
    [embed] = payload["embeds"]
    assert embed["title"] == "demo 1.2.0 released" and embed["url"] == RELEASE_PAGE
    assert "- **cli:** Greet in [French](https://example.test/fr)" in embed["description"]
    assert embed["fields"] == [{"name": "Where", "value": f"[GitHub release]({RELEASE_PAGE})"}]
    assert payload["allowed_mentions"] == {"parse": []}  # no changelog line pings @everyone
    assert step.done(ctx)


def test_a_long_changelog_stays_within_discords_limits(
    ctx: ReleaseContext, chat_services: ChatServices
) -> None:
    ctx.memo.changelog_section = "## [1.2.0]\n" + "".join(
        f"- change number {n} " + "x" * 80 + "\n" for n in range(200)
    )
    DiscordStep().run(ctx)
    [payload] = chat_services.discord  # the loopback webhook refuses what Discord refuses
    description = payload["embeds"][0]["description"]
    shown = description.count("\n- change number")  # the first has no newline before it
    assert description.endswith(f"… and {200 - shown - 1} more: {RELEASE_PAGE}")


def test_failures_are_told_with_resume_and_errors_are_warnings(
    ctx: ReleaseContext, chat_services: ChatServices, capsys: pytest.CaptureFixture[str]
) -> None:
    DiscordStep().announce_failure(ctx, "crates", "cargo publish failed", True)
    [payload] = chat_services.discord
    assert payload["embeds"][0]["title"] == "demo 1.2.0: release failed at crates"
    assert "release resume" in payload["embeds"][0]["fields"][0]["value"]
    chat_services.faults.fail(status=404, times=None)  # the webhook was deleted
    DiscordStep().run(ctx)
    err = capsys.readouterr().err
    assert "warning: Discord was not told" in err and "loopbackDiscordWebhookToken" not in err
    assert not DiscordStep().done(ctx)

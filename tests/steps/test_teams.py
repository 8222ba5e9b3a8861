"""The Microsoft Teams announcer against a loopback Workflows webhook: an Adaptive Card."""

from __future__ import annotations

import pytest

from release.core.engine.context import ReleaseContext
from release.steps.announce.teams import CARD, TeamsStep
from tests.services.chat_webhooks import ChatServices

from ..conftest import Repo
from .announce_fixtures import RELEASE_PAGE, announced


@pytest.fixture
def ctx(repo: Repo, chat_services: ChatServices, monkeypatch: pytest.MonkeyPatch) -> ReleaseContext:
    for name, value in chat_services.env.items():
        monkeypatch.setenv(name, value)
    chat_services.clear()
    return announced(repo)


def test_an_adaptive_card_with_a_button_per_place(
    ctx: ReleaseContext, chat_services: ChatServices
) -> None:
    step = TeamsStep()
    assert step.applies(ctx) and step.check(ctx) == []
    step.run(ctx)
    [payload] = chat_services.teams
    [attachment] = payload["attachments"]
    card = attachment["content"]
    assert attachment["contentType"] == CARD and card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "demo 1.2.0 released"
    assert "Greet in [French](https://example.test/fr)" in card["body"][1]["text"]
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "GitHub release", "url": RELEASE_PAGE}
    ]
    assert step.done(ctx)


def test_failure_card_and_a_rejected_signature_is_a_warning(
    ctx: ReleaseContext,
    chat_services: ChatServices,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    TeamsStep().announce_failure(ctx, "pypi", "twine upload failed", False)
    [payload] = chat_services.teams
    texts = [b["text"] for b in payload["attachments"][0]["content"]["body"]]
    assert texts[0] == "demo 1.2.0: release failed at pypi" and "Nothing was published" in texts[2]
    url = chat_services.env["TEAMS_WEBHOOK_URL"].replace("sig=", "sig=x")
    monkeypatch.setenv("TEAMS_WEBHOOK_URL", url)
    TeamsStep().run(ctx)
    err = capsys.readouterr().err
    assert "warning: Microsoft Teams was not told" in err and "Signature0123" not in err

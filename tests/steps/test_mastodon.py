"""The Mastodon announcer against a loopback statuses API: one toot, even when retried."""

from __future__ import annotations

import pytest

from release.core.engine.context import ReleaseContext
from release.steps.announce.mastodon import MastodonStep
from tests.services.chat_webhooks import ChatServices

from ..conftest import Repo
from .announce_fixtures import RELEASE_PAGE, announced


@pytest.fixture
def ctx(repo: Repo, chat_services: ChatServices, monkeypatch: pytest.MonkeyPatch) -> ReleaseContext:
    for name, value in chat_services.env.items():
        monkeypatch.setenv(name, value)
    chat_services.clear()
    return announced(
        repo, f'[mastodon]\ninstance = "{chat_services.base}"\nvisibility = "unlisted"\n'
    )


def test_one_toot_even_when_the_answer_is_lost(
    ctx: ReleaseContext, chat_services: ChatServices
) -> None:
    step = MastodonStep()
    assert step.applies(ctx) and step.check(ctx) == []
    assert step.describe(ctx) == f"toot the release on {chat_services.base}"
    chat_services.faults.fail("/api/v1/statuses", status=502, nth=1)
    step.run(ctx)
    step.run(ctx)  # a second run within the hour: the same Idempotency-Key, the same toot
    [status] = chat_services.statuses
    assert status["visibility"] == "unlisted"
    text = status["content"]
    assert text.startswith("demo 1.2.0 released") and text.endswith(RELEASE_PAGE)
    assert "- cli: Greet in French" in text and "](" not in text  # plain text, no markdown
    assert len(text) <= 500


def test_failures_and_a_bad_token(
    ctx: ReleaseContext,
    chat_services: ChatServices,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    MastodonStep().announce_failure(ctx, "docker", "registry down", True)
    [status] = chat_services.statuses
    assert "release failed at docker" in status["content"] and "release resume" in status["content"]
    ctx.config.mastodon.failures = False
    MastodonStep().announce_failure(ctx, "github", "down", True)
    assert len(chat_services.statuses) == 1
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "a-revoked-mastodon-token-99")
    MastodonStep().run(ctx)
    err = capsys.readouterr().err
    assert "warning: Mastodon was not told" in err and "MASTODON_ACCESS_TOKEN" in err
    assert "a-revoked-mastodon-token" not in err


def test_off_without_an_instance(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", "some-token-value-123")
    ctx = announced(repo)
    assert not MastodonStep().applies(ctx)

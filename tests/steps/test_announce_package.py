"""Independent versions: each package's release is announced on its own, naming the package,
its version and its tag, through the loopback Slack, Discord, Teams and Mastodon; the cut's
one journal remembers each package's message apart."""

from __future__ import annotations

import pytest

from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.engine.landing import GithubLanding
from release.steps.announce.discord import DiscordStep
from release.steps.announce.mastodon import MastodonStep
from release.steps.announce.slack import SlackStep
from release.steps.announce.teams import TeamsStep
from tests.services.chat_webhooks import ChatServices
from tests.services.slack import SlackWebhook

from ..conftest import Repo
from .package_repo import contexts, independent


@pytest.fixture
def ctxs(
    repo: Repo,
    slack_webhook: SlackWebhook,
    chat_services: ChatServices,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, ReleaseContext]:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", slack_webhook.url)
    for name, value in chat_services.env.items():
        monkeypatch.setenv(name, value)
    slack_webhook.payloads.clear()
    chat_services.clear()
    independent(
        repo, f'[project]\nname = "lens"\n\n[mastodon]\ninstance = "{chat_services.base}"\n'
    )
    found = contexts(repo)
    journal = Journal.for_tag(repo.path / ".git", "lens-core-v0.3.1+3")
    for ctx in found.values():
        ctx.journal = journal  # one journal for the whole cut
        page = f"https://github.com/acme/lens/releases/tag/{ctx.tag}"
        ctx.landed.github = GithubLanding(page, draft=False)
    return found


def test_each_package_is_announced_with_its_name_and_version(
    ctxs: dict[str, ReleaseContext], slack_webhook: SlackWebhook, chat_services: ChatServices
) -> None:
    core, cli = ctxs["lens-core"], ctxs["lens-cli"]
    steps = [SlackStep(), DiscordStep(), TeamsStep(), MastodonStep()]
    for step in steps:
        assert step.applies(core) and not step.done(core)
        step.run(core)
        assert step.done(core)
        assert not step.done(cli)  # the journal is shared: lens-cli's message is its own
        step.run(cli)
        assert step.done(cli)
    assert [p["text"] for p in slack_webhook.payloads] == [
        "lens-core 0.3.1 released",
        "lens-cli 1.0.1 released",
    ]
    context = slack_webhook.payloads[0]["blocks"][-1]["elements"][0]["text"]
    assert context == "Tag `lens-core-v0.3.1`"
    body = slack_webhook.payloads[0]["blocks"][1]["text"]["text"]
    assert "A faster version()" in body and "Needs lens-core" not in body  # its own changes
    [core_embed] = chat_services.discord[0]["embeds"]
    assert core_embed["title"] == "lens-core 0.3.1 released"
    assert core_embed["url"] == "https://github.com/acme/lens/releases/tag/lens-core-v0.3.1"
    assert core_embed["footer"] == {"text": "tag lens-core-v0.3.1"}
    assert chat_services.teams[1]["attachments"][0]["content"]["body"][0]["text"] == (
        "lens-cli 1.0.1 released"
    )
    assert [s["content"].splitlines()[0] for s in chat_services.statuses] == [
        "lens-core 0.3.1 released 🎉",
        "lens-cli 1.0.1 released 🎉",
    ]


def test_a_journal_that_names_its_lines_after_the_package(
    ctxs: dict[str, ReleaseContext], slack_webhook: SlackWebhook
) -> None:
    """The cut's journal as each package's steps write to it (`pkg/slack`)."""
    core, cli = ctxs["lens-core"], ctxs["lens-cli"]
    assert core.journal is not None
    shared = core.journal
    core.journal, cli.journal = shared.named("lens-core"), shared.named("lens-cli")
    step = SlackStep()
    step.run(core)
    assert step.done(core) and not step.done(cli)
    assert [e["step"] for e in shared.entries()] == ["lens-core/slack"]
    failed = ctxs["lens-py"]
    step.announce_failure(failed, "pypi", "twine upload failed: 503", True)
    assert slack_webhook.payloads[-1]["text"] == "lens-py 0.5.1: release failed at pypi"

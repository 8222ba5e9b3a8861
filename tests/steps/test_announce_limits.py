"""Hostile commit text told to every service, each a loopback server that refuses what the
real one refuses (sizes, shapes): a 200 KB subject, links to javascript:, data: and file:
addresses, a message that is not valid UTF-8, more lines than a message holds. Every
service takes its message; no link but http(s) is followed; the unreadable commit is shown;
what was left out is counted, with the link to the whole release."""

from __future__ import annotations

import json
from typing import Any

import pytest

from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.engine.landing import GithubLanding
from release.core.plan.planning import plan_tagged
from release.steps.announce.discord import DiscordStep
from release.steps.announce.mail import EmailStep
from release.steps.announce.mastodon import MastodonStep
from release.steps.announce.slack import SlackStep
from release.steps.announce.teams import TeamsStep
from tests.services.chat_webhooks import ChatServices
from tests.services.slack import SlackWebhook
from tests.services.smtp import SmtpServer

from ..conftest import Repo
from .announce_fixtures import RELEASE_PAGE, announced

HOSTILE_LINKS = (
    "fix: see [a](javascript:alert(1)), [b](data:text/html,x) and [c](file:///etc/passwd)"
)
HUGE = "feat: " + "huge " * 40_000  # a 200 KB subject
CHANGES = 40


def _unreadable_commit(repo: Repo) -> None:
    """A commit whose message is Latin-1, not UTF-8, as older tools wrote them."""
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    parent = repo.git("rev-parse", "HEAD").strip()
    raw = (
        f"tree {tree}\nparent {parent}\nauthor A <a@example.test> 1700000000 +0000\n"
        f"committer A <a@example.test> 1700000000 +0000\n\n"
    ).encode() + b"feat: caf\xe9 unreadable\n"
    (repo.path / ".raw").write_bytes(raw)
    commit = repo.git("hash-object", "-t", "commit", "-w", ".raw").strip()
    (repo.path / ".raw").unlink()
    repo.git("reset", "-q", "--hard", commit)


@pytest.fixture
def ctx(
    repo: Repo,
    chat_services: ChatServices,
    slack_webhook: SlackWebhook,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> ReleaseContext:
    for name, value in {**chat_services.env, **smtp_server.env}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_WEBHOOK_URL", slack_webhook.url)
    chat_services.clear()
    smtp_server.clear()
    slack_webhook.payloads.clear()
    repo.write(
        "release.toml",
        '[project]\nname = "demo"\n'
        f'[email]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nto = ["team@example.org"]\n'
        f'[mastodon]\ninstance = "{chat_services.base}"\n',
    )
    repo.commit("feat: the first")
    repo.tag("v1.1.0")
    repo.commit(HOSTILE_LINKS)
    repo.commit("fix: keep [the docs](https://example.test/docs)")
    (repo.path.parent / "huge.txt").write_text(HUGE)  # over what one argument may hold
    repo.git("commit", "-q", "--allow-empty", "-F", str(repo.path.parent / "huge.txt"))
    _unreadable_commit(repo)
    for n in range(CHANGES):
        repo.git("commit", "-q", "--allow-empty", "-m", f"fix: change number {n} {'y' * 100}")
    repo.tag("v1.2.0")
    context = plan_tagged(repo.path)
    context.journal = Journal.for_tag(context.git.git_dir(), context.tag)
    context.landed.github = GithubLanding(RELEASE_PAGE, draft=False)
    return context


def test_every_service_takes_a_bounded_safe_message(
    ctx: ReleaseContext,
    chat_services: ChatServices,
    slack_webhook: SlackWebhook,
    smtp_server: SmtpServer,
) -> None:
    unreadable = [c for c in ctx.commits if c.unreadable is not None]
    assert [(c.type, c.summary) for c in unreadable] == [("feat", "feat: caf\ufffd unreadable")]
    for step in (SlackStep(), DiscordStep(), TeamsStep(), MastodonStep(), EmailStep()):
        step.run(ctx)
    [slack] = slack_webhook.payloads
    [discord] = chat_services.discord
    [teams] = chat_services.teams
    [toot] = chat_services.statuses
    [mail] = smtp_server.messages
    text = mail.message.get_body(("plain",)).get_content()
    page = mail.message.get_body(("html",)).get_content()
    told: dict[str, Any] = {
        "slack": slack,
        "discord": discord,
        "teams": teams,
        "mastodon": toot,
        "mail": text + page,
    }
    for service, payload in told.items():
        said = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
        for scheme in ("javascript:", "data:text", "file://"):
            assert scheme not in said, (service, scheme)
        assert len(said) < 100_000, service  # the 200 KB subject is cut everywhere
    assert len(json.dumps(teams).encode()) < 28 * 1024
    assert len(toot["content"]) <= 500
    # the unreadable commit is shown (with replacement characters) where lines are listed
    assert "af\ufffd unreadable" in discord["embeds"][0]["description"]
    assert "af\ufffd unreadable" in text
    # what did not fit is counted, with the link to the whole release
    description = discord["embeds"][0]["description"]
    assert description.splitlines()[-1].startswith("… and ")
    assert description.endswith(RELEASE_PAGE)
    slack_body = slack["blocks"][1]["text"]["text"]
    assert slack_body.splitlines()[-1].startswith("… and ") and RELEASE_PAGE in slack_body
    card_lines = teams["attachments"][0]["content"]["body"][1]["text"]
    assert card_lines.splitlines()[-1].startswith("… and ") and RELEASE_PAGE in card_lines
    # http(s) links stay links
    assert "<https://example.test/docs|the docs>" in slack_body or "the docs" in slack_body
    assert 'href="https://example.test/docs"' in page


@pytest.mark.parametrize("url", ["file:///etc/passwd", "data:,x", "/tmp/hook", "ftp://x.test/"])
def test_a_webhook_that_is_not_http_is_refused_and_never_used(
    repo: Repo,
    chat_services: ChatServices,
    slack_webhook: SlackWebhook,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", url)
    monkeypatch.setenv("DISCORD_WEBHOOK_URL", url)
    chat_services.clear()
    slack_webhook.payloads.clear()
    ctx = announced(repo)
    for step in (SlackStep(), DiscordStep()):
        [problem] = step.check(ctx)
        assert problem.severity == "warning" and "is not an http(s) URL" in problem.message
        assert url not in problem.message + (problem.hint or "")  # a webhook is a secret
        step.run(ctx)  # a message is never worth failing a release: a warning, nothing sent
    assert slack_webhook.payloads == [] and chat_services.discord == []

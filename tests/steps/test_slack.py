"""Slack hears of a release (or of a failure) through the webhook, once; Slack's own
failures never fail a release."""

from __future__ import annotations

import pytest

from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.plan.planning import plan_tagged
from release.steps.announce.slack import SlackStep, escape, failure_payload, highlights
from tests.services.slack import SlackWebhook

from ..conftest import Repo


@pytest.fixture
def ctx(repo: Repo, slack_webhook: SlackWebhook, monkeypatch: pytest.MonkeyPatch) -> ReleaseContext:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", slack_webhook.url)
    repo.write("release.toml", '[project]\nname = "demo"\n')
    repo.commit("feat(cli): greet in [French](https://example.test/fr)")
    repo.commit("fix: **never** crash on empty names")
    repo.tag("v1.2.0")
    context = plan_tagged(repo.path)
    context.journal = Journal.for_tag(context.git.git_dir(), context.tag)
    slack_webhook.payloads.clear()
    slack_webhook.faults.reset()
    return context


def test_the_release_message_once(ctx: ReleaseContext, slack_webhook: SlackWebhook) -> None:
    step = SlackStep()
    assert step.applies(ctx) and step.check(ctx) == []
    assert not step.done(ctx)
    step.run(ctx)
    [payload] = slack_webhook.payloads
    assert payload["text"] == "demo 1.2.0 released"
    assert payload["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "demo 1.2.0 released"},
    }
    body = payload["blocks"][1]["text"]["text"]
    assert "<https://example.test/fr|French>" in body  # markdown links in Slack's form
    assert "*never*" in body
    assert step.done(ctx)  # the journal remembers: a resumed release does not tell twice


def test_rate_limits_are_waited_out(ctx: ReleaseContext, slack_webhook: SlackWebhook) -> None:
    slack_webhook.faults.rate_limit(retry_after=1)
    SlackStep().run(ctx)
    assert len(slack_webhook.payloads) == 1
    assert slack_webhook.faults.count("/services/") == 2


def test_slack_failing_never_fails_the_release(
    ctx: ReleaseContext, slack_webhook: SlackWebhook, capsys: pytest.CaptureFixture[str]
) -> None:
    slack_webhook.faults.fail(status=404, times=None)  # a deleted webhook
    SlackStep().run(ctx)  # no exception
    err = capsys.readouterr().err
    assert "warning: Slack was not told" in err
    assert slack_webhook.url not in err and "loopbackWebhookSecret" not in err
    assert not SlackStep().done(ctx)


def test_the_failure_message_names_the_step_and_resume(
    ctx: ReleaseContext, slack_webhook: SlackWebhook
) -> None:
    SlackStep().announce_failure(ctx, "pypi", "twine upload failed: 503", True)
    [payload] = slack_webhook.payloads
    text = payload["blocks"][1]["text"]["text"]
    assert payload["text"] == "demo 1.2.0: release failed at pypi"
    assert "*pypi* failed: twine upload failed: 503" in text and "release resume" in text
    nothing = failure_payload(ctx, "changelog", "bad template", resumable=False)
    assert "Nothing was published" in nothing["blocks"][1]["text"]["text"]


def test_without_a_webhook(ctx: ReleaseContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_WEBHOOK_URL")
    assert not SlackStep().applies(ctx)
    ctx.config.slack.enabled = True
    [problem] = SlackStep().check(ctx)
    assert problem.severity == "warning" and "SLACK_WEBHOOK_URL" in problem.message


def test_highlights_keep_only_the_bullets() -> None:
    section = "## [1.2.0]\n\n### Features\n- **cli**: greet\n* two\ntext\n"
    assert highlights(section) == ["• *cli*: greet", "• two"]


def test_control_characters_are_escaped_and_links_kept() -> None:
    section = "- parse Vec<T> & [docs](https://x.example/a?b=1&c=2) > all\n"
    [line] = highlights(section)
    assert line == "• parse Vec&lt;T&gt; &amp; <https://x.example/a?b=1&amp;c=2|docs> &gt; all"
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_a_failure_with_angle_brackets_is_escaped(ctx: ReleaseContext) -> None:
    payload = failure_payload(ctx, "pypi", "expected <token> & got none")
    assert "expected &lt;token&gt; &amp; got none" in payload["blocks"][1]["text"]["text"]

"""The e-mail announcer against aiosmtpd on loopback: STARTTLS, AUTH, a text and an HTML
part with the changelog and the links; failures mailed too; never failing a release."""

from __future__ import annotations

import pytest

from release.base import secrets
from release.core.engine.context import ReleaseContext
from release.steps.announce.mail import EmailStep
from tests.services.smtp import PASSWORD, USERNAME, SmtpServer

from ..conftest import Repo
from .announce_fixtures import RELEASE_PAGE, announced


@pytest.fixture
def ctx(repo: Repo, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> ReleaseContext:
    for name, value in smtp_server.env.items():
        monkeypatch.setenv(name, value)
    smtp_server.clear()
    config = f'[email]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nto = ["team@example.org"]\n'
    return announced(repo, config)


def test_the_release_mail_over_starttls_with_both_parts(
    ctx: ReleaseContext, smtp_server: SmtpServer
) -> None:
    step = EmailStep()
    assert step.applies(ctx) and step.check(ctx) == []
    assert f"through 127.0.0.1:{smtp_server.port}" in step.describe(ctx)
    step.run(ctx)
    [received] = smtp_server.messages
    assert received.tls and received.login == USERNAME
    assert received.recipients == ["team@example.org"]
    mail = received.message
    assert mail["Subject"] == "demo 1.2.0 released" and mail["From"] == USERNAME
    text = mail.get_body(("plain",)).get_content()
    page = mail.get_body(("html",)).get_content()
    assert "Greet in [French](https://example.test/fr)" in text and RELEASE_PAGE in text
    assert '<a href="https://example.test/fr">French</a>' in page
    assert f'<a href="{RELEASE_PAGE}">GitHub release</a>' in page
    assert "<script>" not in page and "&lt;script&gt;" in page  # the changelog's HTML escaped
    assert step.done(ctx)


def test_a_busy_server_is_retried_and_a_refusal_is_a_warning(
    ctx: ReleaseContext, smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp_server.fail("451 4.3.0 try again later", times=1)
    EmailStep().run(ctx)
    assert smtp_server.subjects() == ["demo 1.2.0 released"]
    smtp_server.clear()
    smtp_server.fail("554 5.7.1 refused", times=5)
    EmailStep().announce_failure(ctx, "pypi", "twine upload failed: 503", True)  # never raises
    assert smtp_server.messages == []
    assert "warning: E-mail was not told" in capsys.readouterr().err


def test_wrong_credentials_never_show_the_password(
    ctx: ReleaseContext,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "a-wrong-smtp-password-1234")
    EmailStep().run(ctx)
    err = capsys.readouterr().err
    assert "535" in err and "a-wrong-smtp-password" not in err and PASSWORD not in err
    assert smtp_server.messages == [] and not EmailStep().done(ctx)


def test_the_failure_mail_says_release_resume(ctx: ReleaseContext, smtp_server: SmtpServer) -> None:
    secrets.register("token-that-leaked-into-an-error-123")
    EmailStep().announce_failure(
        ctx, "docker", "push refused for token-that-leaked-into-an-error-123", True
    )
    [received] = smtp_server.messages
    assert received.message["Subject"] == "demo 1.2.0: release failed at docker"
    text = received.message.get_body(("plain",)).get_content()
    assert "release resume" in text and "token-that-leaked" not in text and "***" in text


def test_off_without_a_server_and_a_warning_when_asked_for(repo: Repo) -> None:
    ctx = announced(repo, "[email]\nenabled = true\n")
    [problem] = EmailStep().check(ctx)
    assert problem.severity == "warning" and "[email] host and to are not set" in problem.message
    ctx.config.email.enabled = None
    assert not EmailStep().applies(ctx)

"""E-mail the release ([email]: host, port, sender, to; SMTP_USERNAME and SMTP_PASSWORD):
a plain-text part and an HTML part, each with the changelog section and the links to where
the release landed; a failure is mailed too, with what to do next."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from release.base import secrets
from release.core.engine.context import ReleaseContext
from release.core.settings.announce_config import EmailConfig
from release.remote import smtp
from release.steps.announce.announcement import Failed, Released
from release.steps.announce.announcer import Announcer

USERNAME, PASSWORD = "SMTP_USERNAME", "SMTP_PASSWORD"


def username(config: EmailConfig) -> str | None:
    return config.username or secrets.get(USERNAME)


def released_text(message: Released) -> str:
    places = "\n".join(f"- {p.label}: {p.url}" if p.url else f"- {p.label}" for p in message.places)
    parts = [message.title, "", message.section or "No user-facing changes."]
    if places:
        parts += ["", "Where:", places]
    return "\n".join(parts) + "\n"


def released_html(message: Released) -> str:
    # The changelog is markdown: rendered as CommonMark, its raw HTML escaped (html=False).
    from markdown_it import MarkdownIt  # only when a mail is written: 62 modules

    section = MarkdownIt("commonmark", {"html": False}).render(
        message.section or "No user-facing changes."
    )
    places = "".join(
        f'<li><a href="{html.escape(p.url)}">{html.escape(p.label)}</a></li>'
        if p.url
        else f"<li>{html.escape(p.label)}</li>"
        for p in message.places
    )
    where = f"<h2>Where</h2><ul>{places}</ul>" if places else ""
    return (
        f"<html><body><h1>{html.escape(message.title)}</h1>{section}{where}"
        f"<p><small>Tag {html.escape(message.tag)}</small></p></body></html>"
    )


def failed_text(message: Failed) -> str:
    return f"{message.title}\n\n{message.step} failed: {message.error}\n\n{message.then}\n"


def failed_html(message: Failed) -> str:
    return (
        f"<html><body><h1>{html.escape(message.title)}</h1>"
        f"<p><b>{html.escape(message.step)}</b> failed: {html.escape(message.error)}</p>"
        f"<p>{html.escape(message.then)}</p></body></html>"
    )


class EmailStep(Announcer):
    name = "email"
    label = "E-mail"
    section = "email"

    def missing(self, ctx: ReleaseContext) -> str | None:
        config = ctx.config.email
        if not config.host or not config.to:
            return "[email] host and to are not set"
        if not (config.sender or username(config)):
            return "[email] sender is not set (nor SMTP_USERNAME)"
        return None

    def describe(self, ctx: ReleaseContext) -> str:
        config = ctx.config.email
        return f"e-mail {', '.join(config.to)} through {config.host}:{config.port}"

    def send_released(self, ctx: ReleaseContext, message: Released) -> None:
        self._mail(ctx, message.title, released_text(message), released_html(message))

    def send_failed(self, ctx: ReleaseContext, message: Failed) -> None:
        self._mail(ctx, message.title, failed_text(message), failed_html(message))

    def _mail(self, ctx: ReleaseContext, subject: str, text: str, page: str) -> None:
        config = ctx.config.email
        user = username(config)
        mail = EmailMessage()
        mail["Subject"] = subject
        mail["From"] = config.sender or user or ""
        mail["To"] = ", ".join(config.to)
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=(config.sender or "release").split("@")[-1])
        mail.set_content(text)
        mail.add_alternative(page, subtype="html")
        assert config.host is not None
        smtp.send(
            mail,
            host=config.host,
            port=config.port,
            starttls=config.starttls,
            username=user,
            password=secrets.get(PASSWORD),
        )

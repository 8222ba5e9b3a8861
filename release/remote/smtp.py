"""Send one e-mail through an SMTP submission server: STARTTLS before anything else (the
server's certificate checked against the system's CAs, or SSL_CERT_FILE), then AUTH, then
the message. A server that offers no STARTTLS is refused: credentials never go in clear."""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage

from release.base.errors import ReleaseError
from release.base.secrets import redact

ATTEMPTS = 3


def send(
    message: EmailMessage,
    *,
    host: str,
    port: int,
    starttls: bool = True,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
) -> None:
    """Deliver `message`, retrying what is transient (a dropped connection, a 4xx answer)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _deliver(message, host, port, starttls, username, password, timeout)
            return
        except smtplib.SMTPResponseException as exc:
            transient = 400 <= exc.smtp_code < 500
            said = exc.smtp_error
            said = said.decode(errors="replace") if isinstance(said, bytes) else said
            reason = f"{exc.smtp_code} {said}"
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            transient, reason = True, f"{type(exc).__name__}: {exc}"
        except smtplib.SMTPException as exc:
            transient, reason = False, f"{type(exc).__name__}: {exc}"
        if not transient or attempt == ATTEMPTS:
            raise ReleaseError(
                redact(f"the SMTP server {host}:{port} did not take the e-mail: {reason}"),
                hint="check [email] host and port, SMTP_USERNAME and SMTP_PASSWORD",
            )
        time.sleep(0.5 * attempt)


def _deliver(
    message: EmailMessage,
    host: str,
    port: int,
    starttls: bool,
    username: str | None,
    password: str | None,
    timeout: float,
) -> None:
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        smtp.ehlo()
        if starttls:
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("the server offers no STARTTLS")
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if username and password:
            smtp.login(username, password)
        smtp.send_message(message)

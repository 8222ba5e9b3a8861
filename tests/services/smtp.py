"""A real SMTP submission server on 127.0.0.1: aiosmtpd, with STARTTLS (a trustme
certificate for 127.0.0.1) required before AUTH, and AUTH (PLAIN/LOGIN, one account)
required before MAIL. Every accepted message is parsed and kept in `messages`, with whether
it came over TLS and from whom.

`fail(status, times)` answers the next DATA commands with that status (451: try again
later, 554: refused), as a real server under load or a spam filter does.

    with SmtpServer() as smtp:
        env = smtp.env  # SSL_CERT_FILE (its CA), SMTP_USERNAME, SMTP_PASSWORD
        ...  # send with STARTTLS and AUTH to smtp.host:smtp.port
        [message] = smtp.messages
"""

from __future__ import annotations

import email
import email.policy
import ssl
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.services.pypi import free_port

USERNAME = "release-bot@example.org"
PASSWORD = "loopback-smtp-s3cret-password"


@dataclass
class Received:
    message: EmailMessage
    tls: bool  # STARTTLS was done before the message
    login: str  # who authenticated
    recipients: list[str]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        with self.server.lock:
            if self.server.failures:
                self.server.failures -= 1
                return self.server.failure
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        login = session.auth_data.login.decode() if session.auth_data else ""
        received = Received(parsed, session.ssl is not None, login, list(envelope.rcpt_tos))
        with self.server.lock:
            self.server.messages.append(received)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.failures = 0
        self.failure = "451 4.3.0 try again later"
        self._folder = tempfile.TemporaryDirectory(prefix="smtp-")
        self.ca_file = Path(self._folder.name) / "ca.pem"
        self.port = 0
        self._controller: Controller | None = None

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USERNAME.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False, auth_data=data)  # kept on the session

    def start(self) -> SmtpServer:
        ca = trustme.CA()
        ca.cert_pem.write_to_path(str(self.ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        for attempt in range(3):  # free_port() can race with another process
            self.port = free_port()
            controller = Controller(
                _Handler(self),
                hostname="127.0.0.1",
                port=self.port,
                tls_context=context,
                require_starttls=True,
                auth_required=True,
                auth_require_tls=True,
                authenticator=self._authenticate,
            )
            try:
                controller.start()
            except Exception:
                if attempt == 2:
                    raise
                continue
            self._controller = controller
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        self._folder.cleanup()

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def env(self) -> dict[str, str]:
        """What a client needs: the CA that signed the server's certificate, and the account."""
        return {
            "SSL_CERT_FILE": str(self.ca_file),
            "SMTP_USERNAME": USERNAME,
            "SMTP_PASSWORD": PASSWORD,
        }

    def fail(self, status: str = "451 4.3.0 try again later", times: int = 1) -> None:
        with self.lock:
            self.failure, self.failures = status, times

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.failures = 0

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(r.message["Subject"]) for r in self.messages]


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[SmtpServer]:
    """The loopback SMTP server, shared by one module (`clear()` it in tests that send)."""
    with SmtpServer() as server:
        yield server

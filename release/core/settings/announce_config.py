"""The announcers' sections beside [slack]: [email], [discord], [teams], [mastodon].

Each is on when its secret is set (`enabled = true` warns without it, `false` turns it off);
the secrets themselves (webhook URLs, the SMTP password, the Mastodon token) are only ever
read from the environment or the keyring, never from the config file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

_STRICT = {"extra": "forbid", "strict": True}
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")


@dataclass
class EmailConfig:
    __pydantic_config__ = _STRICT

    enabled: bool | None = None  # None: when `host` and `to` are set
    host: str | None = None  # the SMTP server, e.g. "smtp.example.com"
    port: int = 587  # the submission port: plain connection, then STARTTLS
    starttls: bool = True  # never send credentials or mail over plain text
    username: str | None = None  # None: SMTP_USERNAME; the password is SMTP_PASSWORD
    sender: str | None = None  # the From address; None: the username
    to: list[str] = field(default_factory=list)  # the recipients (a list address)

    def __post_init__(self) -> None:
        for address in [*self.to, *([self.sender] if self.sender else [])]:
            if not _ADDRESS.match(address):
                raise ValueError(f"{address!r} is not an e-mail address")
        if not 0 < self.port < 65536:
            raise ValueError(f"port: {self.port} is not a TCP port")


@dataclass
class DiscordConfig:
    __pydantic_config__ = _STRICT

    enabled: bool | None = None  # None: when DISCORD_WEBHOOK_URL is set


@dataclass
class TeamsConfig:
    __pydantic_config__ = _STRICT

    enabled: bool | None = None  # None: when TEAMS_WEBHOOK_URL is set (a Workflows webhook)


@dataclass
class MastodonConfig:
    __pydantic_config__ = _STRICT

    enabled: bool | None = None  # None: when `instance` and MASTODON_ACCESS_TOKEN are set
    instance: str | None = None  # e.g. "https://fosstodon.org"
    visibility: Literal["public", "unlisted", "private", "direct"] = "public"
    failures: bool = True  # toot a failed release too (false: only the other announcers)

    def __post_init__(self) -> None:
        if self.instance is not None and not re.match(r"^https?://[^/\s]+/?$", self.instance):
            raise ValueError(f"instance: {self.instance!r} is not a server URL such as https://x.y")

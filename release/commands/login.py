"""`release login NAME`: a secret into the system keyring (the environment still wins)."""

from __future__ import annotations

from release.commands.results import LoginResult
from release.core.secrets import store


def login(name: str, value: str) -> LoginResult:
    store(name, value)
    return LoginResult(name)

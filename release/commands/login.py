"""`release login NAME`: a secret into the system keyring (the environment still wins)."""

from __future__ import annotations

from release.base.secrets import store
from release.commands.results import LoginResult


def login(name: str, value: str) -> LoginResult:
    store(name, value)
    return LoginResult(name)

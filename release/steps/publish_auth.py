"""How a registry publisher authenticates: the token it is given (as before), else trusted
publishing with the workflow's OIDC identity in GitHub Actions, else a problem that names the
permission or the secret to set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from release.core.engine.context import Problem
from release.remote import oidc

TRUSTED = "trusted publishing (the workflow's OIDC identity)"


@dataclass(frozen=True)
class Auth:
    kind: Literal["token", "trusted", "none"]
    source: str  # for the plan: the secret's name, or TRUSTED

    @property
    def trusted(self) -> bool:
        return self.kind == "trusted"


@dataclass(frozen=True)
class Need:
    """What a publisher would need, in its words, for the problem when it has nothing."""

    step: str
    missing: str  # "no token to publish crates"
    secret_hint: str  # "set CARGO_REGISTRY_TOKEN (or `release login ...`)"
    registry: str  # "crates.io", "the package index"


def choose(token_source: str | None) -> Auth:
    """A token wins (it keeps working exactly as before); then the OIDC identity."""
    if token_source:
        return Auth("token", token_source)
    if oidc.available():
        return Auth("trusted", TRUSTED)
    return Auth("none", "no credentials")


def problem(auth: Auth, need: Need) -> Problem | None:
    if auth.kind != "none":
        return None
    if oidc.in_actions():
        return Problem(
            need.step,
            f"{need.missing}, and no OIDC identity for trusted publishing: this job lacks "
            "`id-token: write`",
            hint=f"add `permissions: id-token: write` to this job and register the workflow as "
            f"a trusted publisher on {need.registry}; or {need.secret_hint}",
        )
    return Problem(
        need.step,
        need.missing,
        hint=f"{need.secret_hint}; in GitHub Actions, trusted publishing needs no token "
        "(`permissions: id-token: write`)",
    )

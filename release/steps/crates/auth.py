"""How the crates step authenticates: the token it is given (exactly as before), else
trusted publishing, where the registry trades the workflow's OIDC identity for a token that
lives 30 minutes and is revoked when the step ends, failed or not."""

from __future__ import annotations

from collections.abc import Callable

from release.base import secrets
from release.base.errors import ReleaseError, ToolError
from release.core.engine.context import Problem
from release.remote.net import PREFLIGHT
from release.remote.trusted_publishing import CratesExchange, Tokens
from release.steps import publish_auth

# A minted token goes to a new `cargo publish` only in the first 10 of its 30 minutes: a
# publish that compiles for a while still uploads before its token expires.
FRESH_FOR = 20 * 60.0
NEED = publish_auth.Need(
    "crates",
    "no token to publish crates",
    "set CARGO_REGISTRY_TOKEN (or `release login`)",
    "the registry (crates.io: each crate's Settings → Trusted Publishing)",
)


def token_name(registry: str | None) -> str:
    """The variable cargo reads the token of this registry from."""
    if registry:
        return f"CARGO_REGISTRIES_{registry.upper().replace('-', '_')}_TOKEN"
    return "CARGO_REGISTRY_TOKEN"


def given(registry: str | None) -> dict[str, str]:
    """The token as cargo reads it (environment only, never argv): the registry's own
    variable when set, else CARGO_REGISTRY_TOKEN."""
    name = token_name(registry)
    token = secrets.get(name) or secrets.get("CARGO_REGISTRY_TOKEN")
    return {name: token} if token else {}


def auth(registry: str | None) -> publish_auth.Auth:
    return publish_auth.choose(next(iter(given(registry)), None))


def missing(auth: publish_auth.Auth) -> Problem | None:
    """Neither a token nor an OIDC identity: the problem names the permission or secret."""
    return publish_auth.problem(auth, NEED)


def trusted_problems(api: str, *, new_on_crates_io: list[str]) -> list[Problem]:
    """Before anything is public: does the registry trust this workflow? (A token is minted
    and revoked at once.) And crates.io trusts a workflow only for crates that exist."""
    problems = []
    if new_on_crates_io:
        problems.append(
            Problem(
                "crates",
                f"{', '.join(new_on_crates_io)} not on crates.io yet: trusted publishing "
                "publishes new versions of crates that exist",
                hint="publish the first version with CARGO_REGISTRY_TOKEN, then add this "
                "workflow as the crate's trusted publisher",
            )
        )
    try:
        with Tokens(CratesExchange(api, policy=PREFLIGHT), fresh_for=0) as tokens:
            tokens.get()
    except ReleaseError as exc:
        problems.append(Problem.from_error("crates", exc))
    return problems


class Credentials:
    """What `cargo publish` gets in its environment, asked for before each publish."""

    def __init__(self, registry: str | None, api: Callable[[], str]) -> None:
        self.name = token_name(registry)
        self.given = given(registry)
        self.tokens: Tokens | None = None
        if not self.given:
            nothing = missing(auth(registry))
            if nothing is not None:  # a run without its check stops here, before cargo asks
                raise ReleaseError(nothing.message, hint=nothing.hint)
            self.tokens = Tokens(CratesExchange(api()), fresh_for=FRESH_FOR)

    def env(self) -> dict[str, str]:
        if self.tokens is None:
            return self.given
        return {self.name: self.tokens.get()}

    def close(self) -> list[str]:
        """Revoke every minted token; the failures (each expires soon anyway)."""
        return self.tokens.close() if self.tokens is not None else []


def refused(exc: ToolError, registry: str | None) -> ToolError | None:
    """cargo's 401/403: a permanent refusal of the token, with the variable to fix named."""
    text = f"{exc.message}\n{exc.detail or ''}"
    if not any(s in text for s in ("status 401", "status 403", "Unauthorized", "Forbidden")):
        return None
    return ToolError(
        exc.message,
        hint=f"the registry refused the token: set {token_name(registry)} to a token that may "
        "publish these crates (or run `release login`)",
        detail=exc.detail,
    )

"""Which credentials open which registry, by the names users already set:

- a registry's own pair first: `DOCKER_<HOST>_USERNAME` / `DOCKER_<HOST>_PASSWORD`, the host
  upper-cased with every other character an underscore (`ghcr.io` -> `DOCKER_GHCR_IO_...`,
  `registry.example.com:5000` -> `DOCKER_REGISTRY_EXAMPLE_COM_5000_...`);
- ghcr.io: `GITHUB_TOKEN`, as `GITHUB_ACTOR` (any name works with a token);
- any registry, Docker Hub included: `DOCKER_USERNAME` / `DOCKER_PASSWORD`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from release.base import secrets
from release.core.engine.context import Problem
from release.remote.image_name import DOCKER_HUB
from release.remote.oci import Registry

GHCR = "ghcr.io"


@dataclass(frozen=True)
class Credentials:
    username: str | None
    password: str | None
    names: tuple[str, str]  # the variables they come from, for hints

    @property
    def pair(self) -> tuple[str | None, str | None]:
        return self.username, self.password


def own_names(registry: str) -> tuple[str, str]:
    key = re.sub(r"[^A-Z0-9]", "_", registry.upper())
    return f"DOCKER_{key}_USERNAME", f"DOCKER_{key}_PASSWORD"


def for_registry(registry: str) -> Credentials:
    user_name, password_name = own_names(registry)
    if registry != DOCKER_HUB and (secrets.get(user_name) or secrets.get(password_name)):
        return Credentials(secrets.get(user_name), secrets.get(password_name), own_names(registry))
    if registry == GHCR and (token := secrets.get("GITHUB_TOKEN")):
        actor = secrets.get("GITHUB_ACTOR", use_keyring=False) or "release-toolkit"
        return Credentials(actor, token, ("GITHUB_ACTOR", "GITHUB_TOKEN"))
    names = ("DOCKER_USERNAME", "DOCKER_PASSWORD")
    return Credentials(secrets.get(names[0]), secrets.get(names[1]), names)


def skopeo_host(registry: str) -> str:
    """skopeo (containers/image) names Docker Hub `docker.io`, in references and auth files."""
    return "docker.io" if registry == DOCKER_HUB else registry


def no_push(step: str, registry: Registry) -> Problem:
    names = " and ".join(for_registry(registry.image.registry).names)
    return Problem(
        step,
        f"the Docker credentials may not push to {registry.image}",
        hint=f"set {names} to an account (or a token) with push access to that repository",
    )

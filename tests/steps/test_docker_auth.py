"""Each registry's credentials by the names users already set."""

from __future__ import annotations

import pytest

from release.base import secrets
from release.remote.image_name import DOCKER_HUB, ImageName
from release.steps.docker.auth import for_registry, own_names

NAMES = ("DOCKER_USERNAME", "DOCKER_PASSWORD", "GITHUB_TOKEN", "GITHUB_ACTOR")


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(secrets, "_from_keyring", lambda name: None)


def test_docker_hub_by_any_of_its_names_uses_the_docker_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOCKER_USERNAME", "acme")
    monkeypatch.setenv("DOCKER_PASSWORD", "dckr_pat_0123456789abcdef")
    for image in ("acme/tool", "docker.io/acme/tool", "index.docker.io/acme/tool"):
        parsed = ImageName.parse(image)
        assert parsed == ImageName(DOCKER_HUB, "acme/tool")
        assert for_registry(parsed.registry).pair == ("acme", "dckr_pat_0123456789abcdef")
    assert ImageName.parse("docker.io/tool") == ImageName(DOCKER_HUB, "library/tool")


def test_ghcr_uses_the_github_token_as_the_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_USERNAME", "acme")
    monkeypatch.setenv("DOCKER_PASSWORD", "dckr_pat_0123456789abcdef")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_0123456789abcdefghij")
    monkeypatch.setenv("GITHUB_ACTOR", "octocat")
    found = for_registry("ghcr.io")
    assert found.pair == ("octocat", "ghs_0123456789abcdefghij")
    assert found.names == ("GITHUB_ACTOR", "GITHUB_TOKEN")


def test_a_registry_of_its_own_pair_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    assert own_names("registry.example.com:5000") == (
        "DOCKER_REGISTRY_EXAMPLE_COM_5000_USERNAME",
        "DOCKER_REGISTRY_EXAMPLE_COM_5000_PASSWORD",
    )
    monkeypatch.setenv("DOCKER_USERNAME", "acme")
    monkeypatch.setenv("DOCKER_PASSWORD", "dckr_pat_0123456789abcdef")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_0123456789abcdefghij")
    monkeypatch.setenv("DOCKER_GHCR_IO_USERNAME", "bot")
    monkeypatch.setenv("DOCKER_GHCR_IO_PASSWORD", "ghp_personal_0123456789")
    assert for_registry("ghcr.io").pair == ("bot", "ghp_personal_0123456789")
    # Any other registry falls back on the Docker pair.
    assert for_registry("quay.io").names == ("DOCKER_USERNAME", "DOCKER_PASSWORD")
    # The per-registry password is hidden; the username is shown, as DOCKER_USERNAME is.
    assert secrets.redact("ghp_personal_0123456789 by bot") == "*** by bot"

"""Pytest fixtures of the loopback services, for any test in tests/.

tests/conftest.py loads this module as a plugin (`pytest_plugins = ["tests.services.fixtures"]`);
tests/services/conftest.py imports it so that the services' own tests run without that line.
Each service adds its fixtures here with one import.
"""

from __future__ import annotations

from tests.services.chat_webhooks import chat_services
from tests.services.crate_registry import crate_registry, crate_registry_factory
from tests.services.docker_registry import (
    docker_registry,
    docker_registry_auth,
    docker_registry_factory,
)
from tests.services.github_api import github_api, github_api_factory
from tests.services.oidc import oidc_issuer
from tests.services.pypi import pypi_server
from tests.services.pypi_trusted import trusted_pypi
from tests.services.slack import slack_webhook
from tests.services.smtp import smtp_server
from tests.services.verdaccio import verdaccio

__all__ = [
    "chat_services",
    "crate_registry",
    "crate_registry_factory",
    "docker_registry",
    "docker_registry_auth",
    "docker_registry_factory",
    "github_api",
    "github_api_factory",
    "oidc_issuer",
    "pypi_server",
    "slack_webhook",
    "smtp_server",
    "trusted_pypi",
    "verdaccio",
]

"""The services' own tests use the fixtures that tests/services/fixtures.py gathers."""

from __future__ import annotations

from tests.services.fixtures import *  # noqa: F403

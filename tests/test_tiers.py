"""The test tiers are read from the code (tests/tiers.py): a test that drives the `release`
program, directly or through a helper, or uses a loopback service, is slow without a marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import tiers
from tests.conftest import run_release


def _helper_that_releases(path: Path) -> None:
    run_release(path, "next")


def _helper_of_a_helper(path: Path) -> None:
    _helper_that_releases(path)


def _plain(path: Path) -> str:
    return path.name


def test_a_slow_call_is_found_through_helpers() -> None:
    why = tiers.SLOW_CALLS["tests.conftest.run_release"]
    assert tiers._slow_call(_helper_that_releases, set()) == why
    assert tiers._slow_call(_helper_of_a_helper, set()) == why
    assert tiers._slow_call(lambda p: _helper_of_a_helper(p), set()) == why


def test_plain_code_stays_fast() -> None:
    assert tiers._slow_call(_plain, set()) is None
    assert tiers._slow_call(None, set()) is None


def test_every_service_fixture_is_slow() -> None:
    services = tiers._service_fixtures()
    assert {"crate_registry", "pypi_server", "docker_registry", "github_api"} <= services


def test_this_file_is_in_the_fast_tier(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("slow") is None
    assert tiers.slow_reason(request.node, tiers._service_fixtures()) is None

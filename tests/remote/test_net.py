"""Retries and permanent failures, against the loopback Cargo registry's fault injection."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from release.remote.net import Http, HttpError, RetryPolicy, Service
from tests.services.crate_registry import CrateRegistry

FAST = RetryPolicy(attempts=4, base_delay=0.05, max_delay=2.0, deadline=10.0)


@pytest.fixture
def registry(crate_registry: CrateRegistry) -> Iterator[CrateRegistry]:
    crate_registry.faults.reset()  # rules and the request log
    yield crate_registry
    crate_registry.faults.reset()


def http(**kwargs: object) -> Http:
    return Http(Service("the test registry", "CARGO_REGISTRY_TOKEN"), policy=FAST, **kwargs)  # type: ignore[arg-type]


def config_url(registry: CrateRegistry) -> str:
    return f"{registry.url}/index/config.json"


def test_a_500_is_retried(registry: CrateRegistry) -> None:
    registry.faults.fail("/index/config.json", status=500)
    with http() as client:
        assert client.request("GET", config_url(registry)).json()["api"] == registry.url
        assert client.retries == 1
    assert registry.faults.count("/index/config.json") == 2


def test_a_429_waits_for_retry_after(registry: CrateRegistry) -> None:
    registry.faults.rate_limit("/index/config.json", retry_after=1)
    started = time.monotonic()
    with http() as client:
        assert client.request("GET", config_url(registry)).status_code == 200
    assert time.monotonic() - started >= 0.95


@pytest.mark.parametrize("reset", [False, True])
def test_a_dropped_connection_is_retried(registry: CrateRegistry, reset: bool) -> None:
    registry.faults.drop("/index/config.json", reset=reset)
    with http() as client:
        assert client.request("GET", config_url(registry)).status_code == 200
        assert client.retries == 1


def test_a_slow_answer_times_out_and_is_retried(registry: CrateRegistry) -> None:
    registry.faults.slow("/index/config.json", seconds=1.0, times=1)
    with http(timeout=0.3) as client:
        assert client.request("GET", config_url(registry)).status_code == 200
        assert client.retries == 1


def test_retries_are_bounded(registry: CrateRegistry) -> None:
    registry.faults.fail("/index/config.json", status=503, times=None)
    with http() as client, pytest.raises(HttpError) as err:
        client.request("GET", config_url(registry))
    assert "after 4 attempt(s): HTTP 503" in err.value.message
    # Nothing says `release resume` here: in verify there is nothing to resume, and a cut
    # adds it itself when parts of the release are public.
    assert err.value.hint and "try again later" in err.value.hint
    assert "resume" not in err.value.hint
    assert registry.faults.count("/index/config.json") == 4


def test_the_deadline_bounds_retry_after(registry: CrateRegistry) -> None:
    registry.faults.rate_limit("/index/config.json", retry_after=60, times=None)
    policy = RetryPolicy(attempts=10, base_delay=0.05, max_delay=60, deadline=5)
    started = time.monotonic()
    with Http(Service("r"), policy=policy) as client, pytest.raises(HttpError):
        client.request("GET", config_url(registry))
    assert time.monotonic() - started < 2  # it did not sleep 60 s past its deadline


def test_forbidden_fails_at_once_and_names_the_secret(registry: CrateRegistry) -> None:
    client = http(headers={"Authorization": "wrong-token-value"})
    with client, pytest.raises(HttpError) as err:
        client.request("PUT", f"{registry.url}/api/v1/crates/x/1.0.0/unyank?token=sekrit")
    assert err.value.status == 403 and client.retries == 0
    assert "CARGO_REGISTRY_TOKEN" in (err.value.hint or "")
    assert "sekrit" not in err.value.message  # the query string is left out of messages


def test_an_expected_404_is_an_answer(registry: CrateRegistry) -> None:
    with http() as client:
        assert (
            client.request("GET", f"{registry.url}/index/3/n/nop", expect=[404]).status_code == 404
        )


def test_an_address_nothing_answers_points_at_the_url() -> None:
    from tests.services.pypi import free_port

    with http() as client, pytest.raises(HttpError) as err:
        client.request("GET", f"http://127.0.0.1:{free_port()}/simple/")
    assert "did not answer GET" in err.value.message and "ConnectError" in err.value.message
    assert err.value.hint == "check the URL in the release config and the network"

"""The test tiers: `./scripts/test --fast` runs `-m "not slow"`; tests/conftest.py marks each
collected test through `mark`.

A test is slow when it runs a whole cut (tests/e2e), needs a loopback service (any fixture of
tests/services/fixtures.py, also through another fixture), or when it, its fixtures, or the
test helpers they call name one of SLOW_CALLS. Read from the fixture closure and the code, so
a new test lands in its tier without anyone remembering a marker; `@pytest.mark.slow` adds
one by hand.
"""

from __future__ import annotations

import importlib
import inspect
import types
from collections.abc import Iterator

import pytest

SLOW_CALLS = {
    "tests.conftest.run_release": "runs the release program (half a second of imports a run)",
    "tests.conftest.run_bootstrapping": "reinstalls the venv",
    "tests.tools.test_gpg.keys": "generates gpg keys",
    "release.tools.gpg.Signer": "signs through gpg and its agent",
    "release.steps.artifacts.wheels.WheelsStep": "builds wheels and sdists in isolation",
    "release.steps.artifacts.sign.SignStep": "signs through gpg and its agent",
    "release.steps.artifacts.sbom.SbomStep": "runs cargo metadata and reads the environment",
    "release.steps.artifacts.binaries.BinariesStep": "builds with cargo",
    "gen_repo.generate": "generates a history of thousands of commits (bench/gen_repo.py)",
}


def _service_fixtures() -> frozenset[str]:
    # imported here: the plugin is loaded (and its asserts rewritten) by then
    return frozenset(importlib.import_module("tests.services.fixtures").__all__)


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _slow_call(func: object, seen: set[int]) -> str | None:
    """Why `func` is slow: it is one of SLOW_CALLS, or names one, itself or through a test
    helper (a function of tests/) it names."""
    if not callable(func) or id(func) in seen:
        return None
    func = inspect.unwrap(func)
    seen.add(id(func))
    why = SLOW_CALLS.get(f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}")
    if why or not inspect.isfunction(func) or not func.__module__.startswith("tests."):
        return why
    for code in _codes(func.__code__):
        for name in code.co_names:
            why = _slow_call(func.__globals__.get(name), seen)
            if why:
                return why
    return None


def slow_reason(item: pytest.Item, services: frozenset[str]) -> str | None:
    """Why `item` belongs to the slow tier, or None."""
    if "e2e" in item.path.parts:
        return "a whole cut (tests/e2e)"
    if item.get_closest_marker("reinstalls_venv"):
        return "reinstalls the venv"
    needs = sorted(services.intersection(getattr(item, "fixturenames", ())))
    if needs:
        return f"uses the loopback services {', '.join(needs)}"
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info else ()
    seen: set[int] = set()
    for func in [getattr(item, "function", None), *(d[-1].func for d in definitions if d)]:
        why = _slow_call(func, seen)
        if why:
            return why
    return None


def mark(items: list[pytest.Item]) -> None:
    """`slow` on every test of the slow tier, `e2e` on the whole cuts."""
    services = _service_fixtures()
    for item in items:
        if slow_reason(item, services):
            item.add_marker(pytest.mark.slow)
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)

"""The real cargo publishes the example workspace to the loopback registry, in order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.crates.index import index_path
from release.steps.crates.step import CratesStep
from tests.services.crate_registry import CrateRegistry

from ..conftest import git
from ..e2e.conftest import ROOT, replay
from ..e2e.demo_crates import assert_published_once_in_order


def in_order(names: list[str]) -> bool:
    """Each demo crate once, after the crates it depends on (any such order is right)."""
    versions = [(name, "1.1.0") for name in names]
    try:
        assert_published_once_in_order(versions, "1.1.0")
    except AssertionError:
        return False
    return True


def project(tmp: Path, registry: CrateRegistry) -> Path:
    path = tmp / "demo"
    replay(ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", path)
    registry.cargo_config(path)
    (path / "release.toml").write_text(f'[crates]\nregistry = "{registry.name}"\n')
    git(path, "add", "-A")
    git(path, "commit", "-qm", "chore: publish to the local registry")
    git(path, "tag", "-a", "-m", "v1.1.1", "v1.1.1")
    return path


def context(path: Path, registry: CrateRegistry, monkeypatch: pytest.MonkeyPatch) -> ReleaseContext:
    for key, value in registry.env.items():
        monkeypatch.setenv(key, value)
    return plan_tagged(path)


def test_index_paths() -> None:
    assert [index_path(n) for n in ("a", "ab", "abc", "Demo-Core")] == [
        "1/a",
        "2/ab",
        "3/a/abc",
        "de/mo/demo-core",
    ]


def test_publish_in_order_then_nothing_twice(
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = crate_registry_factory()
    ctx = context(project(tmp_path, registry), registry, monkeypatch)
    step = CratesStep()
    assert step.applies(ctx) and step.check(ctx) == []
    # The levels: what may publish at once is joined by +.
    assert "demo-colour+demo-core → demo-fr+demo-proto → demo-cli" in step.describe(ctx)
    assert not step.done(ctx)
    step.run(ctx)
    published = registry.log.versions()
    assert in_order([name for name, _ in published])
    assert step.done(ctx)
    # Many index files asked at once say what one-by-one asking says, a missing crate too.
    index = step._index(ctx)
    names = [*step.crate_names(ctx), "demo-absent"]
    many = index.versions_of(names)
    assert many == {name: index.versions(name) for name in names}
    assert many["demo-absent"] == {} and all("1.1.0" in many[n] for n in names[:-1])
    again = context(ctx.root, registry, monkeypatch)
    step.run(again)  # a re-run asks the index first: nothing is published twice
    assert registry.log.versions() == published
    assert sorted(again.landed.crates.items) == [
        (name, "already-published") for name, _ in sorted(published)
    ]


def test_a_429_on_the_second_publish_is_waited_out(
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = crate_registry_factory()
    registry.faults.rate_limit("/api/v1/crates/new", nth=2, retry_after=1)
    ctx = context(project(tmp_path, registry), registry, monkeypatch)
    CratesStep().run(ctx)
    assert in_order([name for name, _ in registry.log.versions()])  # each exactly once
    assert registry.faults.count("/api/v1/crates/new") == 6  # one refused, retried


def test_no_token_and_an_unknown_registry(
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = crate_registry_factory()
    path = project(tmp_path, registry)
    for key in registry.env:
        monkeypatch.delenv(key, raising=False)
    ctx = plan_tagged(path)
    messages = [p.message for p in CratesStep().check(ctx)]
    assert "no token to publish crates" in messages
    (path / "release.toml").write_text('[crates]\nregistry = "nowhere"\n')
    [problem] = CratesStep().check(plan_tagged(path))
    assert problem.message == "cargo's configuration has no registry named 'nowhere'"

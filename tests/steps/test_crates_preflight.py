"""What the crates step asks before anything is public: the lock file, the source of the
crates' siblings, cargo's packaging against the registry, and the token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from release.core.plan.planning import plan_tagged
from release.steps.crates.preflight import token_problem
from release.steps.crates.step import CratesStep
from tests.services.crate_registry import CrateRegistry

from ..conftest import git
from .test_crates import context, project


@pytest.fixture
def registry(crate_registry_factory: Callable[..., CrateRegistry]) -> CrateRegistry:
    return crate_registry_factory()


def test_the_checks_publish_nothing(
    tmp_path: Path, registry: CrateRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = context(project(tmp_path, registry), registry, monkeypatch)
    assert CratesStep().check(ctx) == []
    assert registry.log.versions() == []
    assert registry.faults.count("/api/v1/me", method="GET") == 1  # the token was asked about
    assert not (ctx.root / "target" / "package").exists()  # cargo packaged elsewhere


def test_a_crate_that_does_not_package_against_the_registry(
    tmp_path: Path, registry: CrateRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project(tmp_path, registry)
    manifest = path / "crates" / "demo-fr" / "Cargo.toml"
    manifest.write_text(manifest.read_text() + 'absent-from-the-registry = "1"\n')
    git(path, "commit", "-qam", "feat: a dependency the registry does not have")
    git(path, "tag", "-f", "-a", "-m", "v1.1.1", "v1.1.1")
    problems = CratesStep().check(context(path, registry, monkeypatch))
    assert [p.message.split(":")[0] for p in problems] == [
        "the crates do not package against local"
    ]
    assert registry.log.versions() == []


def test_the_token_asked_without_using_it(registry: CrateRegistry) -> None:
    assert token_problem(registry.url, registry.token, "CARGO_REGISTRY_TOKEN", "local") is None
    rejected = token_problem(registry.url, "not-it", "CARGO_REGISTRIES_LOCAL_TOKEN", "local")
    assert rejected is not None and "crates token rejected" in rejected.message
    assert (
        rejected.hint and "CARGO_REGISTRIES_LOCAL_TOKEN (or CARGO_REGISTRY_TOKEN)" in rejected.hint
    )
    assert "not-it" not in rejected.message + rejected.hint
    # A registry that does not answer tokens there (crates.io: "website only" is not a no).
    registry.faults.fail("/api/v1/me", status=404, times=None)
    assert token_problem(registry.url, "not-it", "CARGO_REGISTRY_TOKEN", "local") is None


def test_no_lock_file(
    tmp_path: Path, registry: CrateRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project(tmp_path, registry)
    git(path, "rm", "-q", "Cargo.lock")
    git(path, "commit", "-qm", "chore: no lock")
    git(path, "tag", "-f", "-a", "-m", "v1.1.1", "v1.1.1")
    for key, value in registry.env.items():
        monkeypatch.setenv(key, value)
    messages = [p.message for p in CratesStep().check(plan_tagged(path))]
    assert messages[0] == "no Cargo.lock in .: the release builds and publishes with --locked"

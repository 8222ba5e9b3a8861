"""Independent versions: each crate package's release publishes its own crate to the
loopback registry with the real cargo, in the cut's dependency order; the other packages'
releases publish no crate."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from release.core.engine.context import ReleaseContext
from release.core.engine.step import Skip
from release.steps.crates.step import CratesStep
from tests.services.crate_registry import CrateRegistry

from ..conftest import Repo, git
from .package_repo import contexts, independent


@pytest.fixture
def released(
    repo: Repo,
    crate_registry_factory: Callable[..., CrateRegistry],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[dict[str, ReleaseContext], CrateRegistry]:
    registry = crate_registry_factory(index_delay=1.0)  # the step waits until it is served
    for key, value in registry.env.items():
        monkeypatch.setenv(key, value)
    independent(repo, f'[crates]\nregistry = "{registry.name}"\n')
    registry.cargo_config(repo.path)
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-qm", "chore: publish to the local registry")
    return contexts(repo), registry


def test_each_crate_package_publishes_its_own_crate(
    released: tuple[dict[str, ReleaseContext], CrateRegistry],
) -> None:
    ctxs, registry = released
    core, cli = ctxs["lens-core"], ctxs["lens-cli"]
    step = CratesStep()
    assert "publish lens-core to local" in step.describe(core)
    assert "publish lens-cli to local" in step.describe(cli)
    # lens-cli needs lens-core 0.3.1, which is not on the registry yet: packaged with it,
    # the check passes before anything is published.
    assert step.check(cli) == []
    assert step.check(core) == []
    assert not step.done(core) and not step.done(cli)
    step.run(core)
    assert registry.log.versions() == [("lens-core", "0.3.1")]
    assert step.done(core) and not step.done(cli)  # run returned once the index served it
    assert core.landed.crates is not None and core.landed.crates.crates == ["lens-core"]
    step.run(cli)
    assert registry.log.versions() == [("lens-core", "0.3.1"), ("lens-cli", "1.0.1")]
    assert cli.landed.crates is not None
    assert cli.landed.crates.items == [("lens-cli", "published")]
    again = contexts(Repo(cli.root))["lens-cli"]
    step.run(again)  # asks the index first: nothing is published twice
    assert registry.log.versions() == [("lens-core", "0.3.1"), ("lens-cli", "1.0.1")]
    assert again.landed.crates is not None
    assert again.landed.crates.items == [("lens-cli", "already-published")]


def test_the_other_packages_publish_no_crate(
    released: tuple[dict[str, ReleaseContext], CrateRegistry],
) -> None:
    ctxs, registry = released
    step = CratesStep()
    assert step.applies(ctxs["lens-py"]) == Skip("lens-py is a Python package: no crate to publish")
    assert step.applies(ctxs["@acme/web"]) == Skip(
        "@acme/web is an npm package: no crate to publish"
    )
    assert registry.log.versions() == []

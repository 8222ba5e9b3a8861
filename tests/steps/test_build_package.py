"""Independent versions: each package's build lands in its own dist folder, with its own
binaries, SBOM, SHA256SUMS and signatures, built by the real cargo, cyclonedx and gpg."""

from __future__ import annotations

import json
import subprocess

import pytest

from release.core.engine.context import ReleaseContext
from release.core.engine.step import Skip
from release.steps.artifacts.binaries import BinariesStep
from release.steps.artifacts.checksums import ChecksumsStep
from release.steps.artifacts.sbom import SbomStep
from release.steps.artifacts.sign import SignStep
from release.tools import cargo

from ..conftest import Repo
from ..tools.test_gpg import PASS, Keys, keys  # noqa: F401 - the session fixture
from .package_repo import contexts, independent


@pytest.fixture
def ctxs(repo: Repo) -> dict[str, ReleaseContext]:
    independent(repo, "[sign]\nenabled = true\n")
    return contexts(repo)


def test_each_crate_builds_its_own_binaries(ctxs: dict[str, ReleaseContext]) -> None:
    cli, core = ctxs["lens-cli"], ctxs["lens-core"]
    step = BinariesStep()
    host = cargo.host_triple()
    assert step.applies(core) == Skip("lens-core has no binary ([[bin]] or [[build.binaries]])")
    assert step.applies(ctxs["lens-py"]) == Skip("lens-py is a Python package: no binary")
    assert step.applies(ctxs["@acme/web"]) == Skip("@acme/web is an npm package: no binary")
    assert step.applies(cli) and step.check(cli) == []
    assert step.describe(cli) == f"build and pack lens-lens-cli-v1.0.1-{host}.tar.gz"
    step.run(cli)
    assert cli.dist == cli.root / "dist" / "lens-cli"
    assert [a.path for a in cli.manifest().of_kind("binary-archive")] == [
        f"lens-lens-cli-v1.0.1-{host}.tar.gz"
    ]
    assert step.done(cli)


def test_build_package_names_the_release_that_builds_every_binary(
    ctxs: dict[str, ReleaseContext],
) -> None:
    step = BinariesStep()
    for ctx in ctxs.values():
        ctx.config.build.package = "lens-py"
    py = ctxs["lens-py"]
    assert step.applies(ctxs["lens-cli"]) == Skip(
        "[build] package = 'lens-py': it is released with lens-py, not lens-cli"
    )
    assert step.applies(py) and step.check(py) == []
    host = cargo.host_triple()
    assert step.describe(py) == f"build and pack lens-lens-py-v0.5.1-{host}.tar.gz"
    for ctx in ctxs.values():
        ctx.config.build.package = "lens"
        ctx.memo.binary_jobs = None
    assert step.applies(py)  # a name of no package: check says so, in every release
    [problem] = step.check(py)
    assert problem.message == "[build] package = 'lens' names no package of this repository"
    assert problem.hint == "packages: @acme/web, lens-cli, lens-core, lens-py"


def test_each_package_has_its_own_sbom_sums_and_signatures(
    ctxs: dict[str, ReleaseContext],
    keys: Keys,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GPG_PRIVATE_KEY", keys.armored(keys.good))
    monkeypatch.setenv("GPG_PASSPHRASE", PASS)
    core, py = ctxs["lens-core"], ctxs["lens-py"]
    sbom, sums, sign = SbomStep(), ChecksumsStep(), SignStep()
    assert sbom.applies(ctxs["@acme/web"]) == Skip("@acme/web is an npm package: no SBOM")
    for ctx in (core, py):
        for step in (sbom, sums, sign):
            assert step.applies(ctx) and step.check(ctx) == []
            step.run(ctx)
    assert sorted(p.name for p in core.dist.iterdir()) == [
        "SHA256SUMS",
        "SHA256SUMS.asc",
        "lens-core-lens-core-v0.3.1.cargo.cdx.json",
        "lens-core-lens-core-v0.3.1.cargo.cdx.json.asc",
    ]
    assert sorted(p.name for p in py.dist.iterdir()) == [
        "SHA256SUMS",
        "SHA256SUMS.asc",
        "lens-py-lens-py-v0.5.1.cdx.json",
        "lens-py-lens-py-v0.5.1.cdx.json.asc",
    ]
    for ctx in (core, py):
        subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=ctx.dist, check=True)
        assert sums.done(ctx) and sign.done(ctx)
    assert sums.describe(core) == "write dist/lens-core/SHA256SUMS over lens-core's artifacts"
    # The crate's SBOM describes that crate: lens-cli's lists lens-core, lens-core's does
    # not list lens-cli.
    rust = json.loads((core.dist / "lens-core-lens-core-v0.3.1.cargo.cdx.json").read_text())
    assert rust["metadata"]["component"]["name"] == "lens-core"
    assert [c["name"] for c in rust["components"]] == ["lens-core"]
    cli = ctxs["lens-cli"]
    sbom.run(cli)
    rust = json.loads((cli.dist / "lens-cli-lens-cli-v1.0.1.cargo.cdx.json").read_text())
    assert sorted(c["purl"] for c in rust["components"]) == [
        "pkg:cargo/lens-cli@1.0.1",
        "pkg:cargo/lens-core@0.3.1",
    ]
    edges = {d["ref"]: d.get("dependsOn", []) for d in rust["dependencies"]}
    assert edges["pkg:cargo/lens-cli@1.0.1"] == ["pkg:cargo/lens-core@0.3.1"]

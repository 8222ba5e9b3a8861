"""CycloneDX SBOMs of the example workspace and Python package: valid, complete, stable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from release.core.plan.planning import plan_tagged
from release.steps.artifacts.sbom import SbomStep

from ..conftest import git
from ..e2e.conftest import ROOT, replay


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("sbom") / "demo"
    replay(
        ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", project
    )
    pyproject = project / "python" / "pyproject.toml"
    text = pyproject.read_text().replace(
        'requires-python = ">=3.10"',
        'requires-python = ">=3.10"\ndependencies = ["httpx>=0.27", "attrs==24.2.0"]',
    )
    pyproject.write_text(text)
    git(project, "commit", "-qam", "feat(py): dependencies")
    git(project, "tag", "-a", "-m", "v1.2.0", "v1.2.0")
    return project


def test_sboms_of_both_ecosystems(tagged: Path) -> None:
    ctx = plan_tagged(tagged)
    step = SbomStep()
    assert step.applies(ctx) and step.check(ctx) == []
    step.run(ctx)
    assert step.done(ctx)
    names = sorted(a.path for a in ctx.manifest().of_kind("sbom"))
    assert names == ["demo-py-v1.2.0.cdx.json", "demo-v1.2.0.cargo.cdx.json"]
    python = json.loads((ctx.dist / names[0]).read_text())
    assert python["specVersion"] == "1.6"
    assert python["metadata"]["component"]["purl"] == "pkg:pypi/demo-py@1.1.0"
    purls = sorted(c["purl"] for c in python["components"])
    assert purls == ["pkg:pypi/attrs@24.2.0", "pkg:pypi/httpx"]
    rust = json.loads((ctx.dist / names[1]).read_text())
    crates = {c["name"]: c for c in rust["components"]}
    assert sorted(crates) == ["demo-cli", "demo-colour", "demo-core", "demo-fr", "demo-proto"]
    assert crates["demo-core"]["licenses"] == [{"expression": "MIT"}]
    edges = {d["ref"]: sorted(d.get("dependsOn", [])) for d in rust["dependencies"]}
    assert edges["pkg:cargo/demo-cli@1.1.0"] == [
        "pkg:cargo/demo-colour@1.1.0",
        "pkg:cargo/demo-core@1.1.0",
        "pkg:cargo/demo-fr@1.1.0",
        "pkg:cargo/demo-proto@1.1.0",
    ]
    assert edges["pkg:cargo/demo-proto@1.1.0"] == ["pkg:cargo/demo-core@1.1.0"]
    assert rust["metadata"]["timestamp"].startswith("2026-")


def test_the_same_commit_gives_the_same_bytes(tagged: Path) -> None:
    first = plan_tagged(tagged)
    SbomStep().run(first)
    texts = {p.name: p.read_bytes() for p in first.dist.glob("*.cdx.json")}
    shutil.rmtree(first.dist)
    second = plan_tagged(tagged)
    SbomStep().run(second)
    assert {p.name: p.read_bytes() for p in second.dist.glob("*.cdx.json")} == texts

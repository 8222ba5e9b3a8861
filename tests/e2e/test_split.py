"""release.yml's split, for real on one machine: a tag-trigger cut tags and pushes, two
checkouts build their parts as two runners would, and a third publishes the union once."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.services.crate_registry import CrateRegistry
from tests.services.pypi import PypiServer

from ..conftest import git, run_release
from .demo_crates import assert_published_once_in_order
from .workflow_steps import attest_job, plan_command


def github_outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT's `name<<DELIMITER ... DELIMITER` records; the last value wins."""
    found: dict[str, str] = {}
    lines = iter(path.read_text().splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        value = []
        for inner in lines:
            if inner == delimiter:
                break
            value.append(inner)
        found[name] = "\n".join(value)
    return found


def checkout(remote: Path, tag: str, where: Path) -> Path:
    git(remote.parent, "clone", "-q", "--branch", tag, str(remote), str(where))
    return where


def test_tag_trigger_cut_then_two_runners_then_one_publish(
    demo: Path,
    tmp_path: Path,
    crate_registry_factory: Callable[..., CrateRegistry],
    pypi_server: PypiServer,
) -> None:
    registry = crate_registry_factory()
    registry.cargo_config(demo)
    (demo / "release.toml").write_text(
        '[git]\nmode = "tag-trigger"\n\n'
        f'[crates]\nregistry = "{registry.name}"\n\n[pypi]\n'
        f'repository_url = "{pypi_server.url}"\nindex_url = "{pypi_server.simple_url}"\n'
    )
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "chore: release from the tag's workflow")
    git(demo, "push", "-q", "origin", "main")
    remote = tmp_path / "remote.git"

    # The local cut prepares, tags and pushes; building and publishing are the workflow's.
    cut = run_release(demo, "cut", "--yes", "--json")
    assert cut.code == 0, cut.err
    ran = {s["name"] for s in json.loads(cut.out)["steps"]}
    assert ran == {"changelog", "bump", "commit-tag", "push"}
    assert "refs/tags/v1.2.0" in git(tmp_path, "ls-remote", str(remote))
    assert not (demo / "dist").exists() and registry.log.versions() == []

    # The plan job: on the tag's checkout, verify checks the publish and gives the matrix.
    plan_dir = checkout(remote, "v1.2.0", tmp_path / "plan")
    twine = {"TWINE_USERNAME": "u", "TWINE_PASSWORD": "p4ssword-for-the-test-index"}
    env = {**registry.env, **twine}
    outputs = tmp_path / "github-output"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(outputs)}
    args = shlex.split(plan_command())
    planned = run_release(plan_dir, *args, env=actions)  # as the plan job runs it: no secrets
    assert planned.code == 0, planned.err
    plan = json.loads(planned.out)
    assert (plan["version"], plan["tag"]) == ("1.2.0", "v1.2.0")
    assert [s["name"] for s in plan["steps"]] == ["binaries", "wheels", "sbom"]
    matrix = {
        "include": [
            {
                "runner": "ubuntu-24.04",
                "target": "x86_64-unknown-linux-gnu",
                "args": "--target x86_64-unknown-linux-gnu",
                "dist": "dist",
                "artifact": "dist-x86_64-unknown-linux-gnu",
            }
        ]
    }
    assert plan["matrix"] == matrix
    written = github_outputs(outputs)
    assert written["version"] == "1.2.0" and written["tag"] == "v1.2.0"
    assert json.loads(written["matrix"]) == matrix
    everything = run_release(plan_dir, "verify", "--json", env=env)
    assert everything.code == 0, everything.err
    names = [s["name"] for s in json.loads(everything.out)["steps"]]
    assert names[:5] == ["binaries", "wheels", "sbom", "checksums", "sign"] and "push" in names

    # Two runners: one builds the binaries, the other the Python packages.
    runner_a = checkout(remote, "v1.2.0", tmp_path / "runner-a")
    runner_b = checkout(remote, "v1.2.0", tmp_path / "runner-b")
    built_a = run_release(runner_a, "build", "--no-python")
    built_b = run_release(runner_b, "build", "--skip", "binaries")
    assert built_a.code == 0, built_a.err
    assert built_b.code == 0, built_b.err
    a_files = set(built_a.out.split())
    b_files = set(built_b.out.split())
    assert any(f.endswith(".tar.gz") and "demo-v1.2.0-" in f for f in a_files)
    assert not any(f.endswith(".whl") for f in a_files)
    assert any(f.endswith(".whl") for f in b_files)
    assert not any("demo-v1.2.0-x86_64" in f for f in b_files)

    # A missing file and a conflicting file are clear errors, and nothing is published.
    broken = tmp_path / "runner-c-dist"
    shutil.copytree(runner_b / "dist", broken)
    wheel = next(broken.glob("*.whl"))
    wheel.write_bytes(wheel.read_bytes() + b"rebuilt differently")
    manifest = json.loads((broken / "artifacts.json").read_text())
    for artifact in manifest["artifacts"]:
        if artifact["path"] == wheel.name:
            digest = subprocess.run(
                ["sha256sum", str(wheel)], capture_output=True, text=True, check=True
            ).stdout.split()[0]
            artifact["sha256"], artifact["size"] = digest, wheel.stat().st_size
    (broken / "artifacts.json").write_text(json.dumps(manifest))
    publisher = checkout(remote, "v1.2.0", tmp_path / "publisher")
    a_dist, b_dist = str(runner_a / "dist"), str(runner_b / "dist")
    dists = [runner_a / "dist", runner_b / "dist"]
    conflict = run_release(
        publisher, "publish", "--artifacts", b_dist, "--artifacts", str(broken), env=env
    )
    assert conflict.code == 2
    assert f"{wheel.name} differs between" in conflict.err and "rebuild" in conflict.err
    wheel.unlink()
    missing = run_release(publisher, "publish", "--artifacts", str(broken), env=env)
    assert missing.code == 2 and "is listed in" in missing.err and "but missing" in missing.err
    assert registry.log.versions() == [] and pypi_server.files() == []

    # The attest job, by the workflow's own commands: the union's SHA256SUMS lists the files
    # that get build provenance, and each SBOM is paired with the files it describes.
    attested, sboms = attest_job(checkout(remote, "v1.2.0", tmp_path / "attest"), dists)
    pairs = {s["sbom"]: sorted(s["subjects"].split("\n")) for s in sboms}
    python = sorted(f"dist/{f}" for f in b_files if "demo_py-" in f)
    assert len(python) == 2 and pairs.pop("demo-py-v1.2.0.cdx.json") == python
    archives = sorted(f"dist/{f}" for f in a_files if "x86_64" in f)
    assert pairs and all(  # the workspace's SBOM (one a runner: named after its checkout)
        sbom.endswith(".cargo.cdx.json") and subjects == archives
        for sbom, subjects in pairs.items()
    )

    # The publish job: the union, published once.
    published = run_release(
        publisher, "publish", "--artifacts", a_dist, "--artifacts", b_dist, "--json", env=env
    )
    assert published.code == 0, published.err
    status = {s["name"]: s["status"] for s in json.loads(published.out)["steps"]}
    assert status["checksums"] == status["crates"] == status["pypi"] == "ran"
    assert status["push"] == "already-done"  # the tag was pushed by the cut
    assert_published_once_in_order(registry.log.versions(), "1.2.0")
    assert pypi_server.files() == ["demo_py-1.2.0-py3-none-any.whl", "demo_py-1.2.0.tar.gz"]
    dist = publisher / "dist"
    sums = (dist / "SHA256SUMS").read_text()
    for name in a_files | b_files:
        if name not in ("SHA256SUMS", "SHA256SUMS.asc"):
            assert f"  {name}\n" in sums
    subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, check=True, capture_output=True)
    assert sums == attested  # what was attested is what was published

    # The job run again (a re-run in Actions): everything is already there.
    again = run_release(
        publisher, "publish", "--artifacts", a_dist, "--artifacts", b_dist, "--json", env=env
    )
    assert again.code == 0, again.err
    statuses = {s["name"]: s["status"] for s in json.loads(again.out)["steps"]}
    assert statuses["crates"] == statuses["pypi"] == "already-done"
    assert len(registry.log.versions()) == 5 and len(pypi_server.files()) == 2

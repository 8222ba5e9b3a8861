"""Whole cuts of the bundled example project, and the demo script the README opens with."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.services.crate_registry import CrateRegistry

from ..conftest import git, run_bootstrapping, run_release
from .demo_crates import assert_published_once_in_order
from .stack import Stack

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))


def test_cut_of_the_polyglot_example(stack: Stack, tmp_path: Path) -> None:
    demo = stack.project
    pypi_server, docker_registry, slack_webhook = stack.pypi, stack.docker, stack.slack
    old_changelog = (demo / "CHANGELOG.md").read_bytes()
    verify = run_release(demo, "verify", "--json", env=stack.env)
    assert verify.code == 0, verify.err
    # The plan names every publish with its destination.
    actions = {s["name"]: s["action"] for s in __import__("json").loads(verify.out)["steps"]}
    assert pypi_server.url in actions["pypi"]
    assert f"{docker_registry.host}/acme/{stack.name}" in actions["docker"]
    assert f"acme/{stack.name}" in actions["github"] and str(stack.tap) in actions["homebrew"]
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    actions = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
    }
    result = run_release(demo, "cut", "--yes", "--json", env={**stack.env, **actions})
    assert result.code == 0, result.err
    data = __import__("json").loads(result.out)
    assert data["version"] == "1.2.0"
    # In GitHub Actions: a group per step, every secret masked, a summary with the links.
    # The publishers by risk: crates, then PyPI, each alone; then Docker and GitHub together.
    groups = [g for g in result.err.splitlines() if g.startswith("::group::release: ")]
    publishers = [g.removeprefix("::group::release: ") for g in groups]
    start = publishers.index("crates")
    assert publishers[start : start + 4] == ["crates", "pypi", "docker + github", "push"]
    assert f"::add-mask::{stack.github.token}" in result.err
    page = summary.read_text()
    assert "## Release v1.2.0" in page and "### Published" in page
    assert f"- [GitHub release](https://github.com/acme/{stack.name}/releases/tag/v1.2.0)" in page
    assert "released<<" in outputs.read_text() and "\ntrue\n" in outputs.read_text()
    status = {s["name"]: s["status"] for s in data["steps"]}
    assert status == {
        "changelog": "ran",
        "bump": "ran",
        "commit-tag": "ran",
        "binaries": "ran",
        "wheels": "ran",
        "sbom": "ran",
        "checksums": "ran",
        "sign": "skipped",
        "crates": "ran",
        "pypi": "ran",
        "npm": "skipped",
        "docker": "ran",
        "github": "ran",
        "push": "ran",
        "github-publish": "ran",
        "homebrew": "ran",
        "slack": "ran",
        "email": "skipped",
        "discord": "skipped",
        "teams": "skipped",
        "mastodon": "skipped",
    }
    stack.check_published("1.2.0")
    # Slack's message: the highlights of the changelog and where everything landed.
    [message] = [p for p in slack_webhook.payloads if p["text"] == "demo 1.2.0 released"]
    text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    assert "Greet in French" in text
    assert f"https://github.com/acme/{stack.name}/releases/tag/v1.2.0" in text
    assert f"{docker_registry.host}/acme/{stack.name}:1.2.0, 1.2, 1, latest" in text
    # The build stage: a reproducible archive, the Python distributions, SHA256SUMS.
    dist = demo / "dist"
    host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
    triple = next(line.split()[1] for line in host.splitlines() if line.startswith("host:"))
    names = sorted(p.name for p in dist.iterdir())
    assert f"demo-v1.2.0-{triple}.tar.gz" in names
    assert "demo_py-1.2.0-py3-none-any.whl" in names and "demo_py-1.2.0.tar.gz" in names
    subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, check=True, capture_output=True)
    manifest = __import__("json").loads((dist / "artifacts.json").read_text())
    assert manifest["version"] == "1.2.0"
    assert manifest["commit"] == git(demo, "rev-parse", "HEAD")
    kinds = sorted(a["kind"] for a in manifest["artifacts"])
    assert kinds == ["binary-archive", "checksums", "sbom", "sbom", "sdist", "wheel"]
    # Every manifest now says 1.2.0 and cargo agrees that Cargo.lock matches the manifests.
    for rel in ("Cargo.toml", "crates/demo-proto/Cargo.toml", "python/pyproject.toml"):
        assert 'version = "1.2.0"' in (demo / rel).read_text(), rel
    assert (
        'demo-proto = { path = "../demo-proto", version = "=1.2.0" }  # pinned on purpose'
        in (demo / "crates/demo-cli/Cargo.toml").read_text()
    )
    assert '__version__ = "1.2.0"' in (demo / "python/src/demo_py/__init__.py").read_text()
    subprocess.run(
        ["cargo", "metadata", "--locked", "--offline", "--format-version", "1", "--no-deps"],
        cwd=demo,
        check=True,
        capture_output=True,
    )
    # The changelog gained one section; everything after it is the old file's bytes.
    new = (demo / "CHANGELOG.md").read_bytes()
    header_end = old_changelog.index(b"## [1.1.0]")
    assert new.endswith(old_changelog[header_end:])
    added = new[header_end : len(new) - len(old_changelog) + header_end].decode()
    assert added.startswith("## [1.2.0]")
    assert "Greet in French" in added and "Coloured output" in added and "WIP" not in added
    # Pushed: the remote's main is the release commit, and the tag is there.
    remote = git(tmp_path, "ls-remote", str(tmp_path / "remote.git"))
    assert f"{git(demo, 'rev-parse', 'HEAD')}\trefs/heads/main" in remote
    assert "refs/tags/v1.2.0" in remote


@pytest.mark.reinstalls_venv
def test_the_demo_script_runs(tmp_path: Path) -> None:
    """README's first command, as a user would run it (the venv already exists here)."""
    proc = run_bootstrapping(
        [str(ROOT / "scripts" / "demo")],
        timeout=300,
        env={**__import__("os").environ, "TMPDIR": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "released v1.2.0" in proc.stdout
    assert "== CHANGELOG.md, new section\n## [1.2.0]" in proc.stdout
    line = next(x for x in proc.stdout.splitlines() if x.startswith('{"published"'))
    published = [tuple(item) for item in json.loads(line)["published"]]
    assert_published_once_in_order(published, "1.2.0")
    # Both registries: the same digest under every tag.
    found = re.search(
        r"docker registry tags: 1 -> (sha256:\w+)\.\.\., 1\.2 -> \1\.\.\., 1\.2\.0 -> \1",
        proc.stdout,
    )
    assert found, proc.stdout
    digest = found.group(1)
    assert f"mirror registry tags: 1 -> {digest}..., 1.2 -> {digest}..., 1.2.0 -> {digest}" in (
        proc.stdout
    )
    # The e-mail, over STARTTLS, with the changelog and the places.
    assert "e-mail to team@example.org (STARTTLS: True, parts: text/plain, text/html):" in (
        proc.stdout
    )
    assert "  Subject: demo 1.2.0 released" in proc.stdout
    assert "  | - Docker: 127.0.0.1:" in proc.stdout
    assert "github release v1.2.0 (published): SHA256SUMS, " in proc.stdout
    assert "slack: demo 1.2.0 released" in proc.stdout
    assert "pypi files: demo_py-1.2.0-py3-none-any.whl demo_py-1.2.0.tar.gz" in proc.stdout
    assert re.search(r"[0-9a-f]{7} demo 1\.2\.0\n[0-9a-f]{7} init", proc.stdout)  # the tap
    # npm: the host's platform package installed with the main one, and the binary runs.
    assert "installed: demo demo-linux-x64-gnu \n" in proc.stdout
    assert "npx demo npm: <hello, npm>\n" in proc.stdout
    assert "  | - npm: @acme/demo@1.2.0 (http://127.0.0.1:" in proc.stdout


def test_release_build_on_a_tagged_checkout(demo: Path) -> None:
    """What each CI runner runs after the tag push: build, checksum and list the artifacts."""
    not_tagged = run_release(demo, "build")
    assert not_tagged.code == 2 and "HEAD carries no release tag" in not_tagged.err
    git(demo, "tag", "-a", "-m", "v1.1.1", "v1.1.1")
    unknown = run_release(demo, "build", "--target", "mips-unknown-nowhere")
    assert unknown.code == 2
    assert "'mips-unknown-nowhere' is not a Rust target" in unknown.err
    assert "rustc --print target-list` lists in --target" in unknown.err
    assert "Nothing was built." in unknown.err and not (demo / "dist").exists()
    built = run_release(demo, "build", "--json")
    assert built.code == 0, built.err
    data = __import__("json").loads(built.out)
    paths = sorted(a["path"] for a in data["artifacts"]["artifacts"])
    assert "SHA256SUMS" in paths and any(p.endswith(".whl") for p in paths)
    assert data["artifacts"]["commit"] == git(demo, "rev-parse", "HEAD")
    again = run_release(demo, "build", "--json")  # everything is already there: nothing rebuilt
    statuses = {s["name"]: s["status"] for s in __import__("json").loads(again.out)["steps"]}
    assert statuses["binaries"] == statuses["wheels"] == "already-done"


def test_a_publish_that_fails_half_way_is_resumed_not_undone(
    demo: Path, tmp_path: Path, crate_registry_factory: Callable[..., CrateRegistry]
) -> None:
    """The 2nd crate's upload fails for good: the 1st is public, so the release commit and
    tag stay; `release resume` publishes the rest once, then pushes."""
    registry = crate_registry_factory()
    registry.cargo_config(demo)
    (demo / "release.toml").write_text(
        f'[crates]\nregistry = "{registry.name}"\nretries = 1\n'
        "[build]\npython = false\nsbom = false\n"
    )
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "chore: publish to the loopback registry")
    git(demo, "push", "-q", "origin", "main")
    rule = registry.faults.fail("/api/v1/crates/new", status=503, nth=2, times=None)
    failed = run_release(demo, "cut", "--yes", env=registry.env)
    assert failed.code == 1
    assert "parts of v1.2.0 are public" in failed.err and "release resume" in failed.err
    assert len(registry.log.versions()) == 1  # one of the first level went through
    assert git(demo, "describe", "--tags", "--exact-match") == "v1.2.0"  # kept, not undone
    assert "refs/tags/v1.2.0" not in git(tmp_path, "ls-remote", str(tmp_path / "remote.git"))
    registry.faults.remove(rule)
    resumed = run_release(demo, "resume", "--yes", env=registry.env)
    assert resumed.code == 0, resumed.err
    assert_published_once_in_order(registry.log.versions(), "1.2.0")
    assert "refs/tags/v1.2.0" in git(tmp_path, "ls-remote", str(tmp_path / "remote.git"))

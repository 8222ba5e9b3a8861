"""The example project wired to every loopback service: the crate registry, pypiserver,
docker-registry, GitHub, Slack, and a bare git tap. `Stack.check_published` asserts that
each destination holds the release exactly once."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import OCI_INDEX, DockerRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer
from tests.services.slack import SlackWebhook
from tests.services.smtp import SmtpServer
from tests.services.tap import make_tap, tap_file, tap_log

from ..conftest import git
from .demo_crates import assert_published_once_in_order

_names = itertools.count()


@dataclass
class Stack:
    project: Path
    remote: Path
    crates: CrateRegistry
    pypi: PypiServer
    docker: DockerRegistry
    github: GithubApi
    slack: SlackWebhook
    tap: Path
    name: str  # this project's GitHub repository and Docker repository: acme/NAME
    edge: str  # the digest of the image CI pushed as `edge`
    mirror: DockerRegistry | None = None  # the second registry of [docker] images
    smtp: SmtpServer | None = None  # [email]'s server
    platforms: dict[str, str] = field(default_factory=dict)  # arch: image CI pushed for it
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {
            **self.crates.env,
            "TWINE_USERNAME": "uploader",
            "TWINE_PASSWORD": "twine-password-of-the-e2e",
            "GITHUB_TOKEN": self.github.token,
            "SLACK_WEBHOOK_URL": self.slack.url,
            **self.extra_env,
        }

    def image_digest(self, version: str) -> str:
        """What every tag must point at: CI's image, or the index over its platform images."""
        if not self.platforms:
            return self.edge
        body, media_type = self.docker.manifest(f"acme/{self.name}", version) or (b"", "")
        index = json.loads(body)
        assert media_type == OCI_INDEX, media_type
        found = {m["platform"]["architecture"]: m["digest"] for m in index["manifests"]}
        assert found == self.platforms
        return "sha256:" + hashlib.sha256(body).hexdigest()

    def mails(self, subject: str) -> int:
        return self.smtp.subjects().count(subject) if self.smtp else 0

    def success_messages(self, version: str) -> list[str]:
        return [t for t in self.slack.texts() if t == f"demo {version} released"]

    def check_published(self, version: str) -> None:
        """Every destination holds this release, each artifact exactly once."""
        tag = f"v{version}"
        dist = self.project / "dist"
        manifest = json.loads((dist / "artifacts.json").read_text())
        artifacts = {Path(a["path"]).name: a for a in manifest["artifacts"]}
        # Crates: each once, in a valid dependency order.
        published = self.crates.log.versions()
        assert_published_once_in_order([p for p in published if p[1] == version], version)
        # PyPI: the wheel and the sdist, byte for byte what was built.
        python = sorted(n for n, a in artifacts.items() if a["kind"] in ("wheel", "sdist"))
        assert [f for f in self.pypi.files() if f"-{version}" in f] == python
        for name in python:
            assert (self.pypi.packages / name).read_bytes() == (dist / name).read_bytes()
        # Docker: every tag on the one image CI pushed, on every registry.
        major, minor, _ = version.split(".")
        image = self.image_digest(version)
        for registry in (self.docker, *([self.mirror] if self.mirror else [])):
            for docker_tag in (version, f"{major}.{minor}", major, "latest"):
                assert registry.digest(f"acme/{self.name}", docker_tag) == image, docker_tag
        # GitHub: one published release, every artifact once, the same bytes.
        [release] = [r for r in self.github.releases("acme", self.name) if r.tag_name == tag]
        assert not release.draft
        names = [a.name for a in release.assets]
        assert sorted(names) == sorted(artifacts)
        for asset in release.assets:
            assert hashlib.sha256(asset.data).hexdigest() == artifacts[asset.name]["sha256"]
        # Homebrew: one commit on the tap, with the archive's sha256.
        assert tap_log(self.tap).count(f"demo {version}") == 1
        formula = tap_file(self.tap) or ""
        archive = next(a for a in artifacts.values() if a["kind"] == "binary-archive")
        assert f'sha256 "{archive["sha256"]}"' in formula and f'version "{version}"' in formula
        assert f"/releases/download/{tag}/{Path(archive['path']).name}" in formula
        # Slack, and the e-mail when there is one: told once.
        assert len(self.success_messages(version)) == 1
        assert self.mails(f"demo {version} released") == (1 if self.smtp else 0)
        # The tag and the release commit are on the remote.
        remote = git(self.remote.parent, "ls-remote", str(self.remote))
        assert f"refs/tags/{tag}" in remote


StackFactory = Callable[[Path], Stack]


def demo_with_remote(home: Path) -> Path:
    """The bundled example replayed into `home/demo`, pushed to a bare `home/remote.git`."""
    from . import conftest as e2e

    project = home / "demo"
    examples = e2e.ROOT / "examples"
    e2e.replay(examples / "polyglot-demo", examples / "polyglot-demo.history", project)
    git(home, "init", "-q", "--bare", "remote.git")
    git(project, "remote", "add", "origin", str(home / "remote.git"))
    git(project, "push", "-q", "origin", "main", "--tags")
    return project


def configure(
    project: Path,
    remote: Path,
    crates: CrateRegistry,
    pypi: PypiServer,
    docker: DockerRegistry,
    github: GithubApi,
    slack: SlackWebhook,
    tap_dir: Path,
) -> Stack:
    """Point the (replayed, pushed) demo project at the services and commit that config."""
    name = f"demo{next(_names)}"
    github.add_repo("acme", name)
    tap = make_tap(tap_dir)
    crates.cargo_config(project)
    # CI pushed the image built from main as `edge`; the release retags it.
    edge = docker.push(f"acme/{name}", "edge", seed=name, platforms=("linux/amd64", "linux/arm64"))
    (project / "release.toml").write_text(
        f"""[project]
name = "demo"

[crates]
registry = "{crates.name}"

[pypi]
repository_url = "{pypi.url}"
index_url = "{pypi.simple_url}"

[docker]
image = "{docker.host}/acme/{name}"
source = "edge"
insecure = true

[github]
repository = "acme/{name}"
api_url = "{github.url}"
write_interval = 0

[homebrew]
tap = "{tap}"
"""
    )
    git(project, "add", "-A")
    git(project, "commit", "-qm", "chore: publish to the loopback services")
    git(project, "push", "-q", "origin", "main")
    return Stack(project, remote, crates, pypi, docker, github, slack, tap, name, edge)

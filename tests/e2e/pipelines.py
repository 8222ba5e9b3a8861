"""The two pipelines release-toolkit is built for, on the example project and loopback:

- the profiler's: five crates in dependency order, the binary for the host (the workflow's
  matrix carries six targets on three systems), the SBOM, Docker on two registries (two
  docker-registry processes, the second authenticated by its own DOCKER_<HOST>_* pair),
  Homebrew, Slack and e-mail (aiosmtpd with STARTTLS and AUTH);
- the proxy's: the Rust binary and the Python client's wheels signed with
  GPG_PRIVATE_KEY/GPG_PASSPHRASE, one multi-arch image index assembled from the per-platform
  images CI pushed, PyPI.
"""

from __future__ import annotations

import dataclasses
import re

from release.steps.docker.auth import own_names
from tests.services.docker_registry import DockerRegistry
from tests.services.smtp import SmtpServer

from ..conftest import git
from .stack import Stack

# The release workflow's matrix: Linux x86_64, ARM64 and MUSL, macOS x86_64 and ARM64, Windows.
SIX_TARGETS = [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
]


def _docker_section(stack: Stack, body: str) -> None:
    config = stack.project / "release.toml"
    text = re.sub(r"\[docker\]\n(.+\n)+", f"[docker]\n{body}", config.read_text())
    config.write_text(text)


def _commit(stack: Stack, message: str) -> None:
    git(stack.project, "add", "-A")
    git(stack.project, "commit", "-qm", message)
    git(stack.project, "push", "-q", "origin", "main")


def profiler(stack: Stack, mirror: DockerRegistry, smtp: SmtpServer) -> Stack:
    name = f"acme/{stack.name}"
    _docker_section(
        stack,
        f'images = ["{stack.docker.host}/{name}", "{mirror.host}/{name}"]\n'
        'source = "edge"\ninsecure = true\n',
    )
    with (stack.project / "release.toml").open("a") as config:
        config.write(
            f'\n[email]\nhost = "{smtp.host}"\nport = {smtp.port}\n'
            'sender = "releases@example.org"\nto = ["team@example.org"]\n'
        )
    _commit(stack, "ci: Docker Hub and GHCR, and the release e-mail")
    user, password = own_names(mirror.host)
    env = {**smtp.env, user: mirror.username, password: mirror.password}
    return dataclasses.replace(stack, mirror=mirror, smtp=smtp, extra_env=env)


def proxy(stack: Stack, armored_key: str, passphrase: str) -> Stack:
    name = f"acme/{stack.name}"
    platforms = {
        arch: stack.docker.push(
            name, f"edge-{arch}", seed=f"proxy-{arch}", platforms=(f"linux/{arch}",)
        )
        for arch in ("amd64", "arm64")
    }
    _docker_section(
        stack,
        f'image = "{stack.docker.host}/{name}"\nplatform_source = "edge-{{arch}}"\n'
        'platforms = ["linux/amd64", "linux/arm64"]\ninsecure = true\n',
    )
    _commit(stack, "ci: one image per runner, assembled by the release")
    env = {"GPG_PRIVATE_KEY": armored_key, "GPG_PASSPHRASE": passphrase}
    return dataclasses.replace(stack, platforms=platforms, extra_env=env)

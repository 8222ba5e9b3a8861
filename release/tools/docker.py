"""docker buildx, for `[docker] build = true`: build the image and push every tag at once."""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from release.tools.run import run, which


def available() -> bool:
    return which("docker") is not None


def buildx_push(
    root: Path,
    *,
    dockerfile: str,
    platforms: list[str],
    refs: list[str],
    credentials: Mapping[str, tuple[str | None, str | None]],
) -> None:
    """`docker buildx build --push` of `root` as every one of `refs` (image:tag), on every
    registry they name. `credentials` maps a registry host to its pair; they go into a
    private, temporary DOCKER_CONFIG, never on the command line."""
    auths = {
        registry: {"auth": base64.b64encode(f"{user}:{password}".encode()).decode()}
        for registry, (user, password) in credentials.items()
        if user and password
    }
    with tempfile.TemporaryDirectory(prefix="release-docker-") as home:
        if auths:
            config_file = Path(home) / "config.json"
            config_file.write_text(json.dumps({"auths": auths}))
            config_file.chmod(0o600)
        command = ["docker", "buildx", "build", "--push", "--file", dockerfile]
        command += ["--platform", ",".join(platforms)]
        for ref in refs:
            command += ["--tag", ref]
        run([*command, "."], cwd=root, env={"DOCKER_CONFIG": home}, what="docker buildx build")

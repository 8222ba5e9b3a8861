"""docker buildx, for `[docker] build = true`: build the image and push every tag at once."""

from __future__ import annotations

import base64
import json
import tempfile
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
    registry: str,
    credentials: tuple[str | None, str | None],
) -> None:
    """`docker buildx build --push` of `root` as every one of `refs` (image:tag). The
    credentials go into a private, temporary DOCKER_CONFIG, never on the command line."""
    username, password = credentials
    with tempfile.TemporaryDirectory(prefix="release-docker-") as home:
        if username and password:
            auth = base64.b64encode(f"{username}:{password}".encode()).decode()
            config_file = Path(home) / "config.json"
            config_file.write_text(json.dumps({"auths": {registry: {"auth": auth}}}))
            config_file.chmod(0o600)
        command = ["docker", "buildx", "build", "--push", "--file", dockerfile]
        command += ["--platform", ",".join(platforms)]
        for ref in refs:
            command += ["--tag", ref]
        run([*command, "."], cwd=root, env={"DOCKER_CONFIG": home}, what="docker buildx build")

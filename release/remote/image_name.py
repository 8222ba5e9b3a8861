"""An image's name as registries read it (`ghcr.io/acme/tool`, `acme/tool` on Docker Hub):
apart from the registry client, so that the config can check names without loading httpx."""

from __future__ import annotations

from dataclasses import dataclass

from release.base.errors import BadInput

DOCKER_HUB = "registry-1.docker.io"


@dataclass(frozen=True)
class ImageName:
    registry: str  # host[:port]
    repository: str  # acme/tool

    @classmethod
    def parse(cls, image: str) -> ImageName:
        """`ghcr.io/acme/tool`, `127.0.0.1:5000/tool`, `acme/tool` (Docker Hub), `tool`."""
        if not image or any(c in image for c in " @") or image != image.strip("/"):
            raise BadInput(
                f"{image!r} is not an image name",
                hint='set [docker] image to e.g. "ghcr.io/owner/name", without tag or digest',
            )
        first, _, rest = image.partition("/")
        if first in ("docker.io", "index.docker.io", DOCKER_HUB) and rest:
            registry, repository = DOCKER_HUB, rest if "/" in rest else f"library/{rest}"
        elif rest and ("." in first or ":" in first or first == "localhost"):
            registry, repository = first, rest
        else:
            registry, repository = DOCKER_HUB, image if "/" in image else f"library/{image}"
        if ":" in repository or repository != repository.lower():
            raise BadInput(
                f"{image!r} is not an image name (lower case, no tag)",
                hint="give the repository only; the tags come from [docker] tags",
            )
        return cls(registry, repository)

    def __str__(self) -> str:
        return f"{self.registry}/{self.repository}"

"""How an image reaches a registry: its layers copied by skopeo, a tag put by manifest, or
every tag pushed by `docker buildx build --push`."""

from __future__ import annotations

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.remote.net import HttpError
from release.remote.oci import Manifest, Registry
from release.steps.docker.auth import for_registry, skopeo_host
from release.tools import docker, skopeo


def copy(ctx: ReleaseContext, origin: Registry, registry: Registry, digest: str, tag: str) -> None:
    hosts = {origin.image.registry, registry.image.registry}
    skopeo.copy(
        f"{skopeo_host(origin.image.registry)}/{origin.image.repository}@{digest}",
        f"{skopeo_host(registry.image.registry)}/{registry.image.repository}:{tag}",
        credentials={skopeo_host(h): for_registry(h).pair for h in hosts},
        insecure=ctx.config.docker.insecure,
    )


def put(registry: Registry, name: str, manifest: Manifest) -> None:
    try:
        registry.put_manifest(name, manifest)
    except HttpError as exc:
        raise ReleaseError(
            f"could not tag {registry.image}:{name}: {exc.message}",
            hint=exc.hint,
            detail=exc.detail,
        ) from None


def buildx(ctx: ReleaseContext, plans: list[tuple[Registry, list[str], list[str]]]) -> None:
    config = ctx.config.docker
    docker.buildx_push(
        ctx.root,
        dockerfile=config.dockerfile,
        platforms=config.platforms,
        refs=[f"{r.image}:{name}" for r, chosen, _ in plans for name in chosen],
        credentials={r.image.registry: for_registry(r.image.registry).pair for r, _, _ in plans},
    )

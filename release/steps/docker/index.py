"""One OCI image index over the per-platform images CI pushed (`sha-1a2b3c4-amd64`,
`sha-1a2b3c4-arm64`): what `docker buildx imagetools create` does, without a Docker engine.

Each entry's platform is read from its image's config blob, never trusted from the tag's
name; the index is serialised canonically, so the same images always give the same digest
and a re-run finds its own index already in place.
"""

from __future__ import annotations

import json
from typing import Any

from release.base.errors import ReleaseError
from release.core.settings.image_tags import platform_fields
from release.remote.oci import Manifest, Registry, digest_of

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
INDEX_TYPES = (OCI_INDEX, "application/vnd.docker.distribution.manifest.list.v2+json")


class MissingImage(ReleaseError):
    """A per-platform image CI has not pushed (yet)."""


def platform_of(registry: Registry, tag: str, manifest: Manifest) -> dict[str, str]:
    """The os/architecture/variant an image's config says it was built for."""
    if manifest.media_type in INDEX_TYPES:
        raise ReleaseError(
            f"{registry.image}:{tag} is already a multi-platform index",
            hint="CI pushed an index: name it in [docker] source and drop platform_source",
        )
    config = json.loads(registry.blob(json.loads(manifest.body)["config"]["digest"]))
    found = {"architecture": str(config.get("architecture")), "os": str(config.get("os"))}
    if config.get("variant"):
        found["variant"] = str(config["variant"])
    return found


def assemble(registry: Registry, sources: list[tuple[str, str]]) -> Manifest:
    """The index over `sources` (platform, tag); MissingImage names every tag not there."""
    missing = [tag for _, tag in sources if registry.digest(tag) is None]
    if missing:
        names = ", ".join(f"{registry.image}:{tag}" for tag in missing)
        raise MissingImage(
            f"{names} does not exist: there is no image to release for every platform",
            hint="let CI push one image per platform from the release commit under those tags "
            "(or set [docker] platform_source), then `release resume`",
        )
    entries: list[dict[str, Any]] = []
    for wanted, tag in sources:
        manifest = registry.manifest(tag)
        assert manifest is not None
        found = platform_of(registry, tag, manifest)
        fields = platform_fields(wanted)
        if (found["os"], found["architecture"]) != (fields["os"], fields["arch"]) or (
            fields["variant"] and found.get("variant") != fields["variant"]
        ):
            said = "/".join(found[k] for k in ("os", "architecture", "variant") if k in found)
            raise ReleaseError(
                f"{registry.image}:{tag} is an image for {said}, not {wanted}",
                hint="CI pushed another platform's image under this tag: fix the workflow's "
                "tags or [docker] platforms",
            )
        entries.append(
            {
                "mediaType": manifest.media_type,
                "digest": manifest.digest,
                "size": len(manifest.body),
                "platform": found,
            }
        )
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}
    body = json.dumps(index, sort_keys=True, separators=(",", ":")).encode()
    return Manifest(body, OCI_INDEX, digest_of(body))

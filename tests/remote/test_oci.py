"""Image names as Docker reads them."""

from __future__ import annotations

import pytest

from release.core.errors import BadInput
from release.remote.oci import DOCKER_HUB, ImageName, digest_of


@pytest.mark.parametrize(
    ("image", "registry", "repository"),
    [
        ("ghcr.io/acme/tool", "ghcr.io", "acme/tool"),
        ("127.0.0.1:5000/tool", "127.0.0.1:5000", "tool"),
        ("localhost/a/b/c", "localhost", "a/b/c"),
        ("acme/tool", DOCKER_HUB, "acme/tool"),
        ("tool", DOCKER_HUB, "library/tool"),
    ],
)
def test_image_names(image: str, registry: str, repository: str) -> None:
    name = ImageName.parse(image)
    assert (name.registry, name.repository) == (registry, repository)


@pytest.mark.parametrize("image", ["", "ghcr.io/acme/tool:1.0", "acme/Tool", "a b", "x@sha256:1"])
def test_bad_image_names(image: str) -> None:
    with pytest.raises(BadInput):
        ImageName.parse(image)


def test_digest_is_sha256_of_the_bytes() -> None:
    assert digest_of(b"") == (
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )

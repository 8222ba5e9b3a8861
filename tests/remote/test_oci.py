"""Image names as Docker reads them."""

from __future__ import annotations

import pytest

from release.base.errors import BadInput
from release.remote.image_name import DOCKER_HUB, ImageName
from release.remote.oci import Registry, digest_of
from tests.services.docker_registry import DockerRegistry


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


def test_push_access_is_asked_by_an_upload_started_and_cancelled(
    docker_registry: DockerRegistry,
) -> None:
    """docker-registry answers the upload's start; the DELETE cancels it (204): its data is
    gone (distribution keeps an empty hash state until its upload purging), and no tag,
    manifest or layer appeared."""
    docker_registry.faults.reset()
    image = ImageName.parse(f"{docker_registry.host}/acme/probe")
    with Registry(image, insecure=True) as registry:
        assert registry.may_push()
    assert docker_registry.faults.count("/v2/acme/probe/blobs/uploads/", method="POST") == 1
    assert docker_registry.faults.count("/v2/acme/probe/blobs/uploads/", method="DELETE") == 1
    repository = next(docker_registry.storage.rglob("repositories/acme/probe"))
    assert [p.name for p in repository.iterdir()] == ["_uploads"]
    assert not [p for p in (repository / "_uploads").rglob("data")]


def test_a_registry_that_refuses_the_upload_says_no_push(
    docker_registry: DockerRegistry,
) -> None:
    docker_registry.faults.reset()
    docker_registry.faults.fail(r"/blobs/uploads/", method="POST", status=403, times=None)
    try:
        image = ImageName.parse(f"{docker_registry.host}/acme/probe")
        with Registry(image, insecure=True) as registry:
            assert not registry.may_push()
    finally:
        docker_registry.faults.reset()

"""One OCI image index assembled from the per-platform images CI pushed (by skopeo into a
real docker-registry), checked by fetching it back, with skopeo too."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import pytest

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.docker.index import OCI_INDEX
from release.steps.docker.step import DockerStep
from tests.services.docker_registry import DockerRegistry

from ..conftest import Repo

_names = itertools.count()
PER_PLATFORM = (
    'platform_source = "sha-{short_commit}-{arch}"\nplatforms = ["linux/amd64", "linux/arm64"]\n'
)
Make = Callable[..., tuple[ReleaseContext, str]]


@pytest.fixture
def tagged(repo: Repo, docker_registry: DockerRegistry) -> Make:
    def make() -> tuple[ReleaseContext, str]:
        name = f"acme/proxy{next(_names)}"
        repo.write(
            "release.toml",
            f'[docker]\nimage = "{docker_registry.host}/{name}"\ninsecure = true\n{PER_PLATFORM}',
        )
        repo.commit("feat: image")
        repo.tag("v1.2.0")
        return plan_tagged(repo.path), name

    return make


def push_platforms(registry: DockerRegistry, name: str, ctx: ReleaseContext) -> dict[str, str]:
    """What the runners push: one single-platform image per architecture."""
    short = ctx.git.head()[:7]
    return {
        arch: registry.push(name, f"sha-{short}-{arch}", seed="proxy", platforms=(f"linux/{arch}",))
        for arch in ("amd64", "arm64")
    }


def test_an_index_over_the_platform_images_is_tagged(
    docker_registry: DockerRegistry, tagged: Make
) -> None:
    ctx, name = tagged()
    pushed = push_platforms(docker_registry, name, ctx)
    step = DockerStep()
    assert "index of its sha-{short_commit}-{arch} images" in step.describe(ctx)
    assert step.check(ctx) == [] and not step.done(ctx)
    step.run(ctx)
    body, media_type = docker_registry.manifest(name, "1.2.0") or (b"", "")
    index = json.loads(body)
    assert media_type == OCI_INDEX == index["mediaType"]
    assert [(m["digest"], m["platform"]) for m in index["manifests"]] == [
        (pushed["amd64"], {"architecture": "amd64", "os": "linux"}),
        (pushed["arm64"], {"architecture": "arm64", "os": "linux"}),
    ]
    raw = docker_registry.skopeo(
        "inspect",
        "--raw",
        "--tls-verify=false",
        f"docker://{docker_registry.image(name, 'latest')}",
    ).stdout
    assert raw == body
    digest = docker_registry.digest(name, "1.2.0")
    assert {docker_registry.digest(name, t) for t in ("1.2", "1", "latest")} == {digest}
    # The same images give the same index: a re-run finds it in place and puts nothing.
    assert step.done(ctx)
    puts = docker_registry.faults.count(r"/manifests/", method="PUT")
    step.run(ctx)
    assert docker_registry.faults.count(r"/manifests/", method="PUT") == puts


def test_an_image_of_another_platform_under_a_platform_tag_is_refused(
    docker_registry: DockerRegistry, tagged: Make
) -> None:
    ctx, name = tagged()
    short = ctx.git.head()[:7]
    docker_registry.push(name, f"sha-{short}-amd64", seed="x", platforms=("linux/arm64",))
    docker_registry.push(name, f"sha-{short}-arm64", seed="x", platforms=("linux/arm64",))
    [problem] = DockerStep().check(ctx)
    assert problem.message.endswith(
        f":sha-{short}-amd64 is an image for linux/arm64, not linux/amd64"
    )
    assert docker_registry.tags(name) == [f"sha-{short}-amd64", f"sha-{short}-arm64"]


def test_an_index_already_pushed_is_named_as_the_source(
    docker_registry: DockerRegistry, tagged: Make
) -> None:
    ctx, name = tagged()
    short = ctx.git.head()[:7]
    for arch in ("amd64", "arm64"):
        docker_registry.push(
            name, f"sha-{short}-{arch}", seed="x", platforms=("linux/amd64", "linux/arm64")
        )
    [problem] = DockerStep().check(ctx)
    assert "already a multi-platform index" in problem.message
    assert "[docker] source" in (problem.hint or "")


def test_a_missing_platform_image_waits_for_ci(
    docker_registry: DockerRegistry, tagged: Make
) -> None:
    ctx, name = tagged()
    short = ctx.git.head()[:7]
    docker_registry.push(name, f"sha-{short}-amd64", seed="x", platforms=("linux/amd64",))
    assert DockerStep().check(ctx) == []  # CI may still be pushing the other runner's image
    with pytest.raises(ReleaseError) as caught:
        DockerStep().run(ctx)
    assert f"{name}:sha-{short}-arm64 does not exist" in caught.value.message
    assert "release resume" in (caught.value.hint or "")

"""The Docker step against Debian's real docker-registry, the source image pushed by skopeo:
tags copied by manifest (no layer moves), never backwards, never over another image."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.docker.step import DockerStep
from tests.services.docker_registry import DockerRegistry

from ..conftest import Repo

_names = itertools.count()
PLATFORMS = ["linux/amd64", "linux/arm64"]


def blob_writes(registry: DockerRegistry) -> int:
    return registry.faults.count(r"/blobs/", method="PUT") + registry.faults.count(
        r"/blobs/", method="POST"
    )


@pytest.fixture
def tagged(repo: Repo) -> Callable[..., tuple[ReleaseContext, str]]:
    """A project tagged `version` whose [docker] image is a fresh repository of `registry`."""

    def make(registry: DockerRegistry, version: str = "1.2.0") -> tuple[ReleaseContext, str]:
        name = f"acme/demo{next(_names)}"
        repo.write("release.toml", f'[docker]\nimage = "{registry.host}/{name}"\ninsecure = true\n')
        repo.commit("feat: image")
        repo.tag(f"v{version}")
        return plan_tagged(repo.path), name

    return make


def source_tag(ctx: ReleaseContext) -> str:
    return f"sha-{ctx.git.head()[:7]}"


def test_tags_point_at_the_multi_arch_source_without_moving_layers(
    docker_registry: DockerRegistry, tagged: Callable[..., tuple[ReleaseContext, str]]
) -> None:
    ctx, name = tagged(docker_registry)
    source = docker_registry.push(name, source_tag(ctx), seed="1.2.0", platforms=PLATFORMS)
    step = DockerStep()
    assert step.applies(ctx) and step.check(ctx) == []
    assert not step.done(ctx)
    blobs = blob_writes(docker_registry)
    step.run(ctx)
    assert blob_writes(docker_registry) == blobs  # manifests only: no layer was uploaded
    for tag in ("1.2.0", "1.2", "1", "latest"):
        assert docker_registry.digest(name, tag) == source
        assert docker_registry.inspect_digest(name, tag) == source  # the real client agrees
    assert step.done(ctx)
    puts = docker_registry.faults.count(r"/manifests/", method="PUT")
    step.run(ctx)  # a re-run finds every tag in place
    assert docker_registry.faults.count(r"/manifests/", method="PUT") == puts


def test_an_older_line_never_moves_the_newer_tags(
    docker_registry: DockerRegistry, tagged: Callable[..., tuple[ReleaseContext, str]]
) -> None:
    ctx, name = tagged(docker_registry, "1.1.5")
    newer = docker_registry.push(name, "1.2.0", seed="newer")
    for tag in ("1.2", "1", "latest"):
        docker_registry.push(name, tag, seed="newer")
    docker_registry.push(name, "1.1", seed="older")
    source = docker_registry.push(name, source_tag(ctx), seed="1.1.5")
    DockerStep().run(ctx)
    assert docker_registry.digest(name, "1.1.5") == source
    assert docker_registry.digest(name, "1.1") == source  # its own line moves
    for tag in ("1", "latest", "1.2", "1.2.0"):
        assert docker_registry.digest(name, tag) == newer  # the newer release keeps them
    assert ctx.landed.docker.held == ["1", "latest"]


def test_a_version_tag_on_another_image_is_never_overwritten(
    docker_registry: DockerRegistry, tagged: Callable[..., tuple[ReleaseContext, str]]
) -> None:
    ctx, name = tagged(docker_registry)
    other = docker_registry.push(name, "1.2.0", seed="someone else's build")
    docker_registry.push(name, source_tag(ctx), seed="ours")
    problems = DockerStep().check(ctx)
    assert len(problems) == 1 and "already exists on another image" in problems[0].message
    assert "never moved" in (problems[0].hint or "")
    with pytest.raises(ReleaseError, match="already exists on another image"):
        DockerStep().run(ctx)
    assert docker_registry.digest(name, "1.2.0") == other


def test_a_prerelease_gets_only_its_own_tag(
    docker_registry: DockerRegistry, tagged: Callable[..., tuple[ReleaseContext, str]]
) -> None:
    ctx, name = tagged(docker_registry, "2.0.0-rc.1")
    docker_registry.push(name, source_tag(ctx), seed="rc")
    DockerStep().run(ctx)
    assert docker_registry.tags(name) == ["2.0.0-rc.1", source_tag(ctx)]


def test_no_source_image_stops_with_what_to_push(
    docker_registry: DockerRegistry, tagged: Callable[..., tuple[ReleaseContext, str]]
) -> None:
    ctx, name = tagged(docker_registry)
    with pytest.raises(ReleaseError) as caught:
        DockerStep().run(ctx)
    assert f"{name}:{source_tag(ctx)} does not exist" in caught.value.message
    assert "release resume" in (caught.value.hint or "")
    assert docker_registry.tags(name) == []


def test_transient_faults_are_retried_and_every_tag_lands_once(
    docker_registry: DockerRegistry, tagged: Callable[..., tuple[ReleaseContext, str]]
) -> None:
    ctx, name = tagged(docker_registry)
    source = docker_registry.push(name, source_tag(ctx), seed="faults")
    docker_registry.faults.fail(r"/manifests/", method="PUT", status=500, nth=1)
    docker_registry.faults.rate_limit(r"/manifests/", method="PUT", nth=3, retry_after=1)
    docker_registry.faults.drop(r"/tags/list", nth=1)
    try:
        DockerStep().run(ctx)
    finally:
        docker_registry.faults.clear()
    assert {docker_registry.digest(name, t) for t in ("1.2.0", "1.2", "1", "latest")} == {source}


def test_credentials_on_an_authenticated_registry(
    docker_registry_auth: DockerRegistry,
    tagged: Callable[..., tuple[ReleaseContext, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = docker_registry_auth
    ctx, name = tagged(registry)
    source = registry.push(name, source_tag(ctx), seed="auth")
    monkeypatch.delenv("DOCKER_USERNAME", raising=False)
    monkeypatch.delenv("DOCKER_PASSWORD", raising=False)
    problems = DockerStep().check(ctx)
    assert [p.message for p in problems] == [f"the registry {registry.host} needs credentials"]
    monkeypatch.setenv("DOCKER_USERNAME", registry.username)
    monkeypatch.setenv("DOCKER_PASSWORD", "wrong-password-for-the-test")
    problems = DockerStep().check(ctx)
    assert len(problems) == 1 and "refused our credentials" in problems[0].message
    assert "DOCKER_PASSWORD" in (problems[0].hint or "")
    assert "wrong-password" not in problems[0].message + (problems[0].hint or "")
    monkeypatch.setenv("DOCKER_PASSWORD", registry.password)
    assert DockerStep().check(ctx) == []
    DockerStep().run(ctx)
    assert registry.digest(name, "latest") == source

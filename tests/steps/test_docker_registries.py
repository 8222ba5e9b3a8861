"""One image on two registries (two real docker-registry processes): the layers copied across
by skopeo, the same digest under every tag on both, every guard on each registry."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator

import pytest

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.docker.auth import own_names
from release.steps.docker.step import DockerStep
from tests.services.docker_registry import DockerRegistry

from ..conftest import Repo

_names = itertools.count()
TWO = ("linux/amd64", "linux/arm64")
TAGS = ("1.2.0", "1.2", "1", "latest")
Make = Callable[..., tuple[ReleaseContext, str]]


@pytest.fixture(scope="module")
def second(docker_registry_auth: DockerRegistry) -> DockerRegistry:
    """The second registry: authenticated, as GHCR or Docker Hub are."""
    return docker_registry_auth


@pytest.fixture
def creds(second: DockerRegistry, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """The second registry's own pair, DOCKER_<HOST>_USERNAME/_PASSWORD."""
    names = own_names(second.host)
    monkeypatch.setenv(names[0], second.username)
    monkeypatch.setenv(names[1], second.password)
    for name in ("DOCKER_USERNAME", "DOCKER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield names
    second.faults.clear()


@pytest.fixture
def tagged(repo: Repo, docker_registry: DockerRegistry, second: DockerRegistry) -> Make:
    def make(version: str = "1.2.0", extra: str = "") -> tuple[ReleaseContext, str]:
        name = f"acme/tool{next(_names)}"
        images = f'["{docker_registry.host}/{name}", "{second.host}/{name}"]'
        repo.write("release.toml", f"[docker]\nimages = {images}\ninsecure = true\n{extra}")
        repo.commit("feat: image")
        repo.tag(f"v{version}")
        return plan_tagged(repo.path), name

    return make


def source_tag(ctx: ReleaseContext) -> str:
    return f"sha-{ctx.git.head()[:7]}"


def layer_writes(registry: DockerRegistry) -> int:
    return registry.faults.count(r"/blobs/uploads/", method="PUT")


def test_the_same_digest_under_every_tag_on_both_registries(
    docker_registry: DockerRegistry, second: DockerRegistry, creds: tuple[str, str], tagged: Make
) -> None:
    ctx, name = tagged()
    source = docker_registry.push(name, source_tag(ctx), seed="two", platforms=TWO)
    step = DockerStep()
    assert step.check(ctx) == []
    assert not step.done(ctx)
    second.faults.reset()
    step.run(ctx)
    copied = layer_writes(second)
    assert copied == 4  # each platform's layer and config, once
    for registry in (docker_registry, second):
        for tag in TAGS:
            assert registry.digest(name, tag) == source, (registry.host, tag)
        assert registry.inspect_digest(name, "1.2.0") == source  # skopeo agrees
    raw = json.loads(second.skopeo("inspect", "--raw", "--tls-verify=false",
                                   "--creds", second.creds or "",
                                   f"docker://{second.image(name, 'latest')}").stdout)  # fmt: skip
    assert [m["platform"]["architecture"] for m in raw["manifests"]] == ["amd64", "arm64"]
    places = [p.label for p in ctx.landed.places("1.2.0")]
    assert places == [
        f"Docker: {docker_registry.host}/{name}:1.2.0, 1.2, 1, latest",
        f"Docker: {second.host}/{name}:1.2.0, 1.2, 1, latest",
    ]
    assert step.done(ctx)
    puts = second.faults.count(r"/manifests/", method="PUT")
    step.run(ctx)  # a re-run: nothing copied, nothing tagged again
    assert layer_writes(second) == copied
    assert second.faults.count(r"/manifests/", method="PUT") == puts


def test_every_guard_holds_on_the_second_registry(
    docker_registry: DockerRegistry, second: DockerRegistry, creds: tuple[str, str], tagged: Make
) -> None:
    ctx, name = tagged("1.1.5")
    newer = second.push(name, "1.2.0", seed="newer")
    for tag in ("1.2", "1", "latest"):
        second.push(name, tag, seed="newer")
    source = docker_registry.push(name, source_tag(ctx), seed="older line")
    assert DockerStep().check(ctx) == []
    DockerStep().run(ctx)
    # The first registry has no newer release: every tag moves there.
    assert {docker_registry.digest(name, t) for t in ("1.1.5", "1.1", "1", "latest")} == {source}
    # The second has one: its moving tags stay with it.
    assert second.digest(name, "1.1.5") == second.digest(name, "1.1") == source
    assert {second.digest(name, t) for t in ("1", "latest", "1.2")} == {newer}
    assert ctx.landed.docker is not None and ctx.landed.docker.others[0].held == ["1", "latest"]


def test_a_version_tag_taken_on_the_second_registry_stops_preflight(
    docker_registry: DockerRegistry, second: DockerRegistry, creds: tuple[str, str], tagged: Make
) -> None:
    ctx, name = tagged()
    other = second.push(name, "1.2.0", seed="someone else's")
    docker_registry.push(name, source_tag(ctx), seed="ours")
    [problem] = DockerStep().check(ctx)
    assert f"{second.host}/{name}:1.2.0 already exists on another image" in problem.message
    with pytest.raises(ReleaseError, match="already exists on another image"):
        DockerStep().run(ctx)
    assert second.digest(name, "1.2.0") == other


def test_push_access_is_checked_on_each_registry_with_its_own_names(
    docker_registry: DockerRegistry,
    second: DockerRegistry,
    creds: tuple[str, str],
    tagged: Make,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx, name = tagged()
    docker_registry.push(name, source_tag(ctx), seed="access")
    monkeypatch.setenv(creds[1], "not-the-password-of-the-second")
    [problem] = DockerStep().check(ctx)
    assert "refused our credentials" in problem.message and creds[1] in (problem.hint or "")
    assert "not-the-password" not in problem.message + (problem.hint or "")
    monkeypatch.delenv(creds[0])
    [problem] = DockerStep().check(ctx)
    assert problem.message == f"only one of {creds[0]} and {creds[1]} is set"


def test_a_failed_copy_is_finished_by_a_re_run_without_duplicates(
    docker_registry: DockerRegistry, second: DockerRegistry, creds: tuple[str, str], tagged: Make
) -> None:
    ctx, name = tagged()
    source = docker_registry.push(name, source_tag(ctx), seed="fault", platforms=TWO)
    second.faults.fail(r"/manifests/", method="PUT", status=500, times=None)
    with pytest.raises(ReleaseError, match="skopeo copy failed"):
        DockerStep().run(ctx)
    assert second.tags(name) == []
    second.faults.clear()
    assert not DockerStep().done(ctx)
    DockerStep().run(ctx)
    assert {second.digest(name, t) for t in TAGS} == {source}
    assert sorted(second.tags(name)) == sorted(TAGS)

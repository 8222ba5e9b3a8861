"""Independent versions: the Docker image is tagged in the release of the package that
`[docker] package` names, with that package's version, against Debian's docker-registry;
unset, no release would tag it, and verify says so."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from release.base.errors import ConfigError
from release.core.engine.context import ReleaseContext
from release.core.engine.step import Skip
from release.steps.docker.step import DockerStep
from tests.services.docker_registry import DockerRegistry

from ..conftest import Repo
from .package_repo import contexts, independent

_names = itertools.count()


@pytest.fixture
def released(
    repo: Repo, docker_registry: DockerRegistry
) -> Callable[[str], tuple[dict[str, ReleaseContext], str]]:
    def make(package_line: str) -> tuple[dict[str, ReleaseContext], str]:
        name = f"acme/lens{next(_names)}"
        independent(
            repo,
            f'[docker]\nimage = "{docker_registry.host}/{name}"\ninsecure = true\n{package_line}',
        )
        ctxs = contexts(repo)
        docker_registry.push(name, f"sha-{repo.git('rev-parse', 'HEAD')[:7]}", seed=name)
        return ctxs, name

    return make


def test_only_the_named_package_tags_the_image(
    released: Callable[[str], tuple[dict[str, ReleaseContext], str]],
    docker_registry: DockerRegistry,
) -> None:
    ctxs, name = released('package = "lens-cli"\n')
    step = DockerStep()
    for other in ("lens-core", "lens-py", "@acme/web"):
        assert step.applies(ctxs[other]) == Skip(
            f"[docker] package = 'lens-cli': it is released with lens-cli, not {other}"
        )
    cli = ctxs["lens-cli"]
    assert step.applies(cli) and step.check(cli) == []
    assert "1.0.1" in step.describe(cli)
    step.run(cli)
    source = docker_registry.digest(name, f"sha-{cli.git.head()[:7]}")
    assert {
        t: docker_registry.digest(name, t) for t in ("1.0.1", "1.0", "1", "latest")
    } == dict.fromkeys(("1.0.1", "1.0", "1", "latest"), source)
    assert step.done(cli)
    assert cli.landed.docker is not None and cli.landed.docker.tags == [
        "1.0.1",
        "1.0",
        "1",
        "latest",
    ]


def test_an_image_no_package_tags_is_an_error(
    released: Callable[[str], tuple[dict[str, ReleaseContext], str]],
    docker_registry: DockerRegistry,
) -> None:
    ctxs, name = released("")
    step = DockerStep()
    for ctx in ctxs.values():  # every release is asked, so verify stops whichever runs
        assert step.applies(ctx)
        [problem] = step.check(ctx)
        assert problem.severity == "error"
        assert problem.message == (
            "independent versions: the image is tagged with no package's release "
            "([docker] package is not set)"
        )
        assert (
            problem.hint == 'set [docker] package = "name" to the package whose release it follows'
        )
        assert not step.done(ctx)
    with pytest.raises(ConfigError, match=r"\[docker\] package is not set"):
        step.run(ctxs["lens-cli"])
    assert docker_registry.tags(name) == [f"sha-{ctxs['lens-cli'].git.head()[:7]}"]


def test_a_package_of_another_name_is_an_error(
    released: Callable[[str], tuple[dict[str, ReleaseContext], str]],
) -> None:
    ctxs, _ = released('package = "lens"\n')
    [problem] = DockerStep().check(ctxs["lens-core"])
    assert problem.message == "[docker] package = 'lens' names no package of this repository"
    assert problem.hint == "packages: @acme/web, lens-cli, lens-core, lens-py"

"""Point the release's Docker tags at the image CI built (`1.2.0`, `1.2`, `1`, `latest`) on
every registry of `[docker] images`, all on one digest.

On the first registry (where CI pushed) the `source` tag's manifest is copied to each tag
through the registry's API, moving no layers; with `platform_source` the per-platform images
are first gathered into one OCI image index (docker_index.py). Every other registry receives
the image with its layers by `skopeo copy --all --preserve-digests`, then its other tags by
manifest. With `build = true`, `docker buildx build --push` pushes every tag instead.
On every registry a version tag never moves and `1.2`, `1`, `latest` never go backwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from release.base.errors import ReleaseError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.landing import DockerLanding
from release.core.engine.step import Skip, Step, Verdict
from release.core.settings.image_tags import immutable, render, render_platform
from release.remote.image_name import ImageName
from release.remote.net import PREFLIGHT, Http, RetryPolicy, Service
from release.remote.oci import Manifest, Registry
from release.steps.docker import push as docker_push
from release.steps.docker.auth import for_registry, no_push
from release.steps.docker.index import MissingImage, assemble
from release.steps.docker.tags import planned_tags
from release.steps.package_scope import follower_problem, follows, raise_follower_problem
from release.tools import docker, skopeo


class DockerStep(Step):
    name = "docker"
    public = True

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        return ctx.config.docker.build  # `docker buildx build` of the project's Dockerfile

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.docker.names:
            return Skip("no [docker] image")
        return follows(ctx, "[docker] package", ctx.config.docker.package)

    def _unowned(self, ctx: ReleaseContext) -> Problem | None:
        """Independent versions: the image is tagged in one package's release, the one
        `[docker] package` names; unset, no release would ever tag it (an error)."""
        return follower_problem(
            ctx, self.name, "[docker] package", ctx.config.docker.package, "the image is tagged"
        )

    def _images(self, ctx: ReleaseContext) -> list[ImageName]:
        return [ImageName.parse(name) for name in ctx.config.docker.names]

    @contextmanager
    def _registries(
        self, ctx: ReleaseContext, policy: RetryPolicy | None = None
    ) -> Iterator[list[Registry]]:
        """One client per image, the source's registry first."""
        with ExitStack() as stack:
            opened = []
            for image in self._images(ctx):
                creds = for_registry(image.registry)
                service = Service(f"the registry {image.registry}", creds.names[1])
                registry = Registry(
                    image,
                    username=creds.username,
                    password=creds.password,
                    insecure=ctx.config.docker.insecure,
                    http=Http(service, policy=policy),
                    names=creds.names,
                )
                opened.append(stack.enter_context(registry))
            yield opened

    def _source_tag(self, ctx: ReleaseContext) -> str:
        assert ctx.version is not None
        return render(ctx.config.docker.source, ctx.version, ctx.tag, ctx.head())

    def _platform_sources(self, ctx: ReleaseContext) -> list[tuple[str, str]]:
        config, version = ctx.config.docker, ctx.version
        assert config.platform_source is not None and version is not None
        head = ctx.head()
        return [
            (p, render_platform(config.platform_source, version, ctx.tag, head, p))
            for p in config.platforms
        ]

    def _source(self, ctx: ReleaseContext, primary: Registry) -> Manifest:
        """The image to release: the source tag's manifest, or the index over the platforms'."""
        if ctx.config.docker.platform_source is not None:
            return assemble(primary, self._platform_sources(ctx))
        tag = self._source_tag(ctx)
        found = primary.manifest(tag)
        if found is None:
            raise MissingImage(
                f"{primary.image}:{tag} does not exist: there is no image to release",
                hint="let CI push the image built from the release commit under that tag "
                "first (or set [docker] source), then `release resume`",
            )
        return found

    def _tags(self, ctx: ReleaseContext, registry: Registry) -> tuple[list[str], list[str]]:
        assert ctx.version is not None
        config = ctx.config.docker
        return planned_tags(config.tags, ctx.version, ctx.tag, ctx.head(), registry.tags())

    def describe(self, ctx: ReleaseContext) -> str:
        assert ctx.version is not None
        if (unowned := self._unowned(ctx)) is not None:
            return f"nothing until the config is fixed: {unowned.message}"
        config = ctx.config.docker
        names = ", ".join(dict.fromkeys(render(t, ctx.version, ctx.tag, "c") for t in config.tags))
        images = " and ".join(str(i) for i in self._images(ctx))
        if config.build:
            return f"docker buildx build --push {images} as {names}"
        if config.platform_source is not None:
            source = f"index of its {config.platform_source} images ({', '.join(config.platforms)})"
        else:
            source = f"{config.source} image"
        return f"point {images}:{{{names}}} at its {source}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        if (unowned := self._unowned(ctx)) is not None:
            return [unowned]
        problems = []
        for image in self._images(ctx):
            creds = for_registry(image.registry)
            if bool(creds.username) != bool(creds.password):
                problems.append(
                    Problem(
                        self.name,
                        f"only one of {' and '.join(creds.names)} is set",
                        hint="set both (the password may be a registry token), or neither",
                    )
                )
        if problems:
            return problems
        config = ctx.config.docker
        if config.build and not docker.available():
            problems.append(
                Problem(
                    self.name,
                    "[docker] build = true needs the docker command with buildx",
                    hint="install Docker, or let CI push the image and retag it (build = false)",
                )
            )
        if len(config.names) > 1 and not config.build and not skopeo.available():
            problems.append(
                Problem(
                    self.name,
                    "copying the image to a second registry needs skopeo",
                    hint="install skopeo (apt-get install skopeo, brew install skopeo)",
                )
            )
        with self._registries(ctx, PREFLIGHT) as registries:
            reachable = []
            for registry in registries:
                try:
                    registry.ping()
                    reachable.append(registry)
                    if not registry.may_push():
                        problems.append(no_push(self.name, registry))
                except ReleaseError as exc:
                    problems.append(Problem.from_error(self.name, exc))
            digest = None
            if not config.build and registries[0] in reachable:
                try:
                    digest = self._source(ctx, registries[0]).digest
                except MissingImage:
                    pass  # CI may still be pushing it: the cut waits for it at its turn
                except ReleaseError as exc:
                    problems.append(Problem.from_error(self.name, exc))
            for registry in reachable:
                try:
                    chosen, _ = self._tags(ctx, registry)
                    problems.extend(self._conflicts(registry, chosen, digest, ctx))
                except ReleaseError as exc:
                    problems.append(Problem.from_error(self.name, exc))
        return problems

    def _conflicts(
        self, registry: Registry, chosen: list[str], source: str | None, ctx: ReleaseContext
    ) -> list[Problem]:
        """A version tag already on another image than ours: never overwritten."""
        return [
            Problem(
                self.name,
                f"{registry.image}:{name} already exists on another image ({there[:19]}…)",
                hint="a version tag is never moved: release a new version",
            )
            for name in chosen
            if self._is_immutable(ctx, name)
            and (there := registry.digest(name)) is not None
            and there != source
        ]

    def done(self, ctx: ReleaseContext) -> bool:
        if self._unowned(ctx) is not None:
            return False  # run says why
        landings = []
        with self._registries(ctx) as registries:
            if not ctx.config.docker.build:
                try:
                    wanted: str | None = self._source(ctx, registries[0]).digest
                except MissingImage:
                    return False
            else:
                wanted = None
            for registry in registries:
                chosen, held = self._tags(ctx, registry)
                digests = {registry.digest(name) for name in chosen}
                wanted = wanted or next(iter(digests), None)
                if digests != {wanted} or wanted is None:
                    return False
                landings.append(DockerLanding(str(registry.image), chosen, held))
        ctx.landed.docker = DockerLanding.of(landings)
        return True

    def run(self, ctx: ReleaseContext) -> None:
        raise_follower_problem(self._unowned(ctx))
        landings = []
        with self._registries(ctx) as registries:
            plans = [(registry, *self._tags(ctx, registry)) for registry in registries]
            for registry, _, held in plans:
                for name in held:
                    ctx.record(self.name, "item", image=str(registry.image), tag=name,
                               result="held-by-newer-release")  # fmt: skip
            if ctx.config.docker.build:
                docker_push.buildx(ctx, plans)
            else:
                source = self._source(ctx, registries[0])
                for registry, chosen, _ in plans:
                    origin = None if registry is registries[0] else registries[0]
                    self._point(ctx, registry, chosen, source, origin)
            digests = {(str(r.image), n): r.digest(n) for r, chosen, _ in plans for n in chosen}
            if len(set(digests.values())) != 1 or None in digests.values():
                raise ReleaseError(
                    f"the release's tags do not resolve to one image: {digests}",
                    hint="`release resume` points them again",
                )
            landings = [DockerLanding(str(r.image), chosen, held) for r, chosen, held in plans]
        ctx.landed.docker = DockerLanding.of(landings)

    def _point(
        self,
        ctx: ReleaseContext,
        registry: Registry,
        chosen: list[str],
        source: Manifest,
        origin: Registry | None,
    ) -> None:
        """Every chosen tag of `registry` on `source`; from `origin`'s registry with its
        layers first when this repository does not have the image yet."""
        there = {name: registry.digest(name) for name in chosen}
        for name, digest in there.items():
            if digest not in (None, source.digest) and self._is_immutable(ctx, name):
                raise ReleaseError(
                    f"{registry.image}:{name} already exists on another image",
                    hint="a version tag is never moved: release a new version",
                )
        if origin is not None and chosen and registry.manifest(source.digest) is None:
            first = chosen[0]
            docker_push.copy(ctx, origin, registry, source.digest, first)
            ctx.record(self.name, "item", image=str(registry.image), tag=first,
                       digest=source.digest, result="copied")  # fmt: skip
            there[first] = source.digest
        for name in chosen:
            if there[name] == source.digest:
                result = "already-there"
            else:
                docker_push.put(registry, name, source)
                result = "moved" if there[name] else "tagged"
            ctx.record(self.name, "item", image=str(registry.image), tag=name,
                       digest=source.digest, result=result)  # fmt: skip

    def _is_immutable(self, ctx: ReleaseContext, name: str) -> bool:
        assert ctx.version is not None
        return any(
            render(t, ctx.version, ctx.tag, ctx.head()) == name
            for t in ctx.config.docker.tags
            if immutable(t)
        )

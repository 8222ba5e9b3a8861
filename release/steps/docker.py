"""Point the release's Docker tags at the image CI built: `1.2.0`, `1.2`, `1`, `latest`.

Retagging copies the manifest of the `source` tag (e.g. `sha-1a2b3c4`) to each tag through
the registry's API, moving no layers; with `build = true`, `docker buildx build --push`
builds and pushes every tag instead. Either way every tag must end on one digest.

Tags whose template holds the version never move: one already on another digest is an
error. Moving tags (`1.2`, `1`, `latest`) never go backwards: a release of an older line
moves `1.1` but leaves `1` and `latest` to the newer versions the registry already has.
"""

from __future__ import annotations

from semver import Version

from release.core import secrets
from release.core.context import Problem, ReleaseContext
from release.core.errors import ReleaseError
from release.core.image_tags import immutable, render
from release.core.landing import DockerLanding
from release.core.step import Step, Verdict, skip_unless
from release.remote.net import PREFLIGHT, Http, HttpError, RetryPolicy, Service
from release.remote.oci import ImageName, Manifest, Registry
from release.tools import docker


def versions_in(tags: list[str]) -> list[Version]:
    found = []
    for tag in tags:
        text = tag.removeprefix("v")
        if Version.is_valid(text):
            found.append(Version.parse(text))
    return found


def planned_tags(
    templates: list[str], version: Version, tag: str, commit: str, existing: list[str]
) -> tuple[list[str], list[str]]:
    """(tags to point at this release, moving tags left to a newer release)."""
    if version.prerelease:
        templates = [t for t in templates if immutable(t)]
    newer = [v for v in versions_in(existing) if not v.prerelease and v > version]
    chosen: list[str] = []
    held: list[str] = []
    for template in templates:
        name = render(template, version, tag, commit)
        if name in chosen:
            continue
        # A moving tag belongs to the highest version that renders to it.
        if not immutable(template) and any(render(template, v, tag, commit) == name for v in newer):
            held.append(name)
        else:
            chosen.append(name)
    return chosen, held


def credentials() -> tuple[str | None, str | None]:
    return secrets.get("DOCKER_USERNAME"), secrets.get("DOCKER_PASSWORD")


class DockerStep(Step):
    name = "docker"
    public = True

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return skip_unless(ctx.config.docker.image is not None, "no [docker] image")

    def _image(self, ctx: ReleaseContext) -> ImageName:
        assert ctx.config.docker.image is not None
        return ImageName.parse(ctx.config.docker.image)

    def _registry(self, ctx: ReleaseContext, policy: RetryPolicy | None = None) -> Registry:
        username, password = credentials()
        image = self._image(ctx)
        service = Service(f"the registry {image.registry}", "DOCKER_PASSWORD")
        return Registry(
            image,
            username=username,
            password=password,
            insecure=ctx.config.docker.insecure,
            http=Http(service, policy=policy),
        )

    def _source(self, ctx: ReleaseContext) -> str:
        assert ctx.version is not None
        return render(ctx.config.docker.source, ctx.version, ctx.tag, ctx.git.head())

    def _tags(self, ctx: ReleaseContext, registry: Registry) -> tuple[list[str], list[str]]:
        assert ctx.version is not None
        config = ctx.config.docker
        return planned_tags(config.tags, ctx.version, ctx.tag, ctx.git.head(), registry.tags())

    def describe(self, ctx: ReleaseContext) -> str:
        assert ctx.version is not None
        config = ctx.config.docker
        names = ", ".join(dict.fromkeys(render(t, ctx.version, ctx.tag, "c") for t in config.tags))
        if config.build:
            return f"docker buildx build --push {self._image(ctx)} as {names}"
        return f"point {self._image(ctx)}:{{{names}}} at its {config.source} image"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems = []
        username, password = credentials()
        if bool(username) != bool(password):
            problems.append(
                Problem(
                    self.name,
                    "only one of DOCKER_USERNAME and DOCKER_PASSWORD is set",
                    hint="set both (the password may be a registry token), or neither",
                )
            )
            return problems
        if ctx.config.docker.build and not docker.available():
            problems.append(
                Problem(
                    self.name,
                    "[docker] build = true needs the docker command with buildx",
                    hint="install Docker, or let CI push the image and retag it (build = false)",
                )
            )
        try:
            with self._registry(ctx, PREFLIGHT) as registry:
                registry.ping()
                if not registry.may_push():
                    problems.append(
                        Problem(
                            self.name,
                            f"the Docker credentials may not push to {ctx.config.docker.image}",
                            hint="set DOCKER_USERNAME and DOCKER_PASSWORD to an account (or a "
                            "token) with push access to that repository",
                        )
                    )
                chosen, _ = self._tags(ctx, registry)
                problems.extend(self._conflicts(ctx, registry, chosen))
        except ReleaseError as exc:
            problems.append(Problem.from_error(self.name, exc))
        return problems

    def _conflicts(
        self, ctx: ReleaseContext, registry: Registry, chosen: list[str]
    ) -> list[Problem]:
        """A version tag already on another image than ours: never overwritten."""
        assert ctx.version is not None
        problems = []
        source = None if ctx.config.docker.build else registry.digest(self._source(ctx))
        for template in ctx.config.docker.tags:
            if not immutable(template):
                continue
            name = render(template, ctx.version, ctx.tag, ctx.git.head())
            there = registry.digest(name)
            if there is not None and there != source:
                problems.append(
                    Problem(
                        self.name,
                        f"{registry.image}:{name} already exists on another image ({there[:19]}…)",
                        hint="a version tag is never moved: release a new version",
                    )
                )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        with self._registry(ctx) as registry:
            chosen, held = self._tags(ctx, registry)
            if ctx.config.docker.build:
                digests = {registry.digest(name) for name in chosen}
                there = len(digests) == 1 and None not in digests
            else:
                source = registry.digest(self._source(ctx))
                there = source is not None and all(registry.digest(n) == source for n in chosen)
        if there:
            ctx.landed.docker = DockerLanding(str(registry.image), chosen, held)
        return there

    def run(self, ctx: ReleaseContext) -> None:
        with self._registry(ctx) as registry:
            chosen, held = self._tags(ctx, registry)
            for name in held:
                ctx.record(self.name, "item", tag=name, result="held-by-newer-release")
            if ctx.config.docker.build:
                self._buildx(ctx, registry, chosen)
            else:
                self._retag(ctx, registry, chosen)
            digests = {name: registry.digest(name) for name in chosen}
            if len(set(digests.values())) != 1 or None in digests.values():
                raise ReleaseError(
                    f"the tags of {registry.image} do not resolve to one image: {digests}",
                    hint="`release resume` points them again",
                )
        ctx.landed.docker = DockerLanding(str(registry.image), chosen, held)

    def _retag(self, ctx: ReleaseContext, registry: Registry, chosen: list[str]) -> None:
        source_tag = self._source(ctx)
        source = registry.manifest(source_tag)
        if source is None:
            raise ReleaseError(
                f"{registry.image}:{source_tag} does not exist: there is no image to release",
                hint="let CI push the image built from the release commit under that tag "
                "first (or set [docker] source), then `release resume`",
            )
        assert ctx.version is not None
        for name in chosen:
            there = registry.digest(name)
            if there == source.digest:
                result = "already-there"
            elif there is not None and self._is_immutable(ctx, name):
                raise ReleaseError(
                    f"{registry.image}:{name} already exists on another image",
                    hint="a version tag is never moved: release a new version",
                )
            else:
                self._put(registry, name, source)
                result = "moved" if there else "tagged"
            ctx.record(self.name, "item", tag=name, digest=source.digest, result=result)

    def _is_immutable(self, ctx: ReleaseContext, name: str) -> bool:
        assert ctx.version is not None
        return any(
            render(t, ctx.version, ctx.tag, ctx.git.head()) == name
            for t in ctx.config.docker.tags
            if immutable(t)
        )

    def _put(self, registry: Registry, name: str, manifest: Manifest) -> None:
        try:
            registry.put_manifest(name, manifest)
        except HttpError as exc:
            raise ReleaseError(
                f"could not tag {registry.image}:{name}: {exc.message}",
                hint=exc.hint,
                detail=exc.detail,
            ) from None

    def _buildx(self, ctx: ReleaseContext, registry: Registry, chosen: list[str]) -> None:
        config = ctx.config.docker
        docker.buildx_push(
            ctx.root,
            dockerfile=config.dockerfile,
            platforms=config.platforms,
            refs=[f"{registry.image}:{name}" for name in chosen],
            registry=registry.image.registry,
            credentials=credentials(),
        )

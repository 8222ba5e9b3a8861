"""The `[docker]` section: which images (one per registry), which tags, and where the
image to release comes from (one tag CI pushed, or one tag per platform)."""

from __future__ import annotations

from dataclasses import dataclass, field

from release.core.settings.config_names import package_name

_STRICT = {"extra": "forbid", "strict": True}


def _default_docker_tags() -> list[str]:
    return ["{version}", "{major}.{minor}", "{major}", "latest"]


def _default_platforms() -> list[str]:
    return ["linux/amd64"]


@dataclass
class DockerConfig:
    __pydantic_config__ = _STRICT

    image: str | None = None  # e.g. "ghcr.io/acme/tool"; None and no images: no Docker step
    # The same image on several registries; the first is where CI pushed the source.
    images: list[str] = field(default_factory=list)
    source: str = "sha-{short_commit}"  # the tag CI pushed (docker/metadata-action's sha tag)
    # One tag per platform ("sha-{short_commit}-{arch}"): assembled into one image index.
    platform_source: str | None = None
    tags: list[str] = field(default_factory=_default_docker_tags)  # a prerelease: {version} only
    build: bool = False  # `docker buildx build --push` instead of retagging `source`
    dockerfile: str = "Dockerfile"
    # With build = true, or with platform_source: the platforms of the image.
    platforms: list[str] = field(default_factory=_default_platforms)
    insecure: bool = False  # plain HTTP, for a registry on loopback
    package: str | None = None  # independent versions: the package whose release tags it

    @property
    def names(self) -> list[str]:
        """Every image to tag, the source's registry first."""
        return list(self.images) or ([self.image] if self.image else [])

    def __post_init__(self) -> None:
        from release.core.settings import image_tags

        package_name("package", self.package)

        if self.image is not None and self.images:
            raise ValueError('image and images: set one (images = ["a", "b"] for several)')
        if self.names:  # no image, no need of the registry's naming rules
            _check_names(self.names)
        for template in [self.source, *self.tags]:
            try:
                image_tags.validate(template)
            except ValueError as exc:
                raise ValueError(f"tags: {exc}") from None
        if self.platform_source is not None:
            if self.build:
                raise ValueError("platform_source: CI builds the images; not with build = true")
            try:
                image_tags.validate_platform(self.platform_source, self.platforms)
            except ValueError as exc:
                raise ValueError(f"platform_source: {exc}") from None


def _check_names(names: list[str]) -> None:
    from release.base.errors import ReleaseError
    from release.remote.image_name import ImageName

    parsed = []
    for name in names:
        try:
            parsed.append(ImageName.parse(name))
        except ReleaseError as exc:
            raise ValueError(f"image: {exc.message}; {exc.hint}") from None
    if len(set(parsed)) != len(parsed):
        raise ValueError("images: an image is named twice")

"""Publish the release's npm packages: generated from the built binaries (one per target,
then the main package), or the project's own package.json files in dependency order. Each is
packed first and its integrity compared with the registry's: the same is success, other
content a loud error, found before anything is public."""

from __future__ import annotations

import tempfile
from pathlib import Path

from release.base.errors import BadInput, ReleaseError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.landing import NpmLanding
from release.core.engine.step import APPLIES, Skip, Step, Verdict
from release.remote import oidc
from release.remote.net import PREFLIGHT, HttpError
from release.steps.artifacts import binaries
from release.steps.npm import preflight as npm_preflight
from release.steps.npm.packages import (
    NpmPackage,
    binary_name,
    generated_packages,
    main_name,
    own_packages,
    platform_name,
    version_of,
)
from release.steps.npm.platform import platform
from release.steps.npm.preflight import token, trusted
from release.steps.npm.publish import Packed, Publisher, pack_all, published
from release.steps.npm.registry import Registry
from release.steps.package_scope import follower_problem, follows, not_kind
from release.tools import npm as npm_tool


class NpmStep(Step):
    name = "npm"
    public = True

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        return True

    _cache: tuple[str, tempfile.TemporaryDirectory[str], list[Packed]] | None = None

    def applies(self, ctx: ReleaseContext) -> Verdict:
        config = ctx.config.npm
        if config.shape is None:
            return Skip("[npm] shape is not set")
        if config.shape == "package-json":  # independent: each npm package on its own tag
            other = not_kind(ctx, "npm", "no npm package to publish")
            return other if other is not None else APPLIES  # a Skip is falsy: no `or`
        return follows(ctx, "[npm] package", self._follows(ctx))

    def _follows(self, ctx: ReleaseContext) -> str | None:
        return ctx.config.npm.package or ctx.config.build.package

    def describe(self, ctx: ReleaseContext) -> str:
        config = ctx.config.npm
        how = "NPM_TOKEN" if token() else ("trusted publishing" if trusted() else "~/.npmrc")
        extra = " with provenance" if self._provenance(ctx) else ""
        try:
            names = ", ".join(self._names(ctx))
        except ReleaseError:
            names = "the npm packages"
        return f"publish {names} {version_of(ctx)} to {config.registry} ({how}){extra}"

    def _names(self, ctx: ReleaseContext) -> list[str]:
        """The packages in publishing order, without packing them."""
        config = ctx.config.npm
        if config.shape != "binaries":
            return [p.name for p in own_packages(ctx)]
        if self._built(ctx):
            archives = ctx.manifest().of_kind("binary-archive")
            binary = binary_name(ctx)
            targets = sorted(a.target for a in archives if a.name == binary and a.target)
        else:  # before the build: what it will make
            listed = [b.name for b in ctx.config.build.binaries or []]
            only = listed[0] if len(listed) == 1 else None
            binary = config.binary or only or ctx.config.project.name or ""
            targets = sorted(binaries.targets(ctx))
        main = main_name(ctx, binary)
        return [platform_name(main, platform(t)) for t in targets] + [main] if main else []

    def _provenance(self, ctx: ReleaseContext) -> bool:
        return ctx.config.npm.provenance and oidc.available()

    def _packed(self, ctx: ReleaseContext) -> list[Packed]:
        """Every package packed, once per content: verify, done and run share the packing
        (the folder lives as long as the step; a rebuild or a bump packs again)."""
        key = self._key(ctx)
        if self._cache is None or self._cache[0] != key:
            folder = tempfile.TemporaryDirectory(prefix="release-npm-")
            staging = Path(folder.name)
            (staging / "packed").mkdir()
            packed = pack_all(self._packages(ctx, staging / "src"), staging / "packed")
            self._cache = (key, folder, packed)
        return self._cache[2]

    def _key(self, ctx: ReleaseContext) -> str:
        if ctx.config.npm.shape == "binaries":
            archives = ctx.manifest().of_kind("binary-archive")
            parts = [f"{a.path}:{a.sha256}" for a in archives]
        else:
            parts = [p.folder.joinpath("package.json").read_text() for p in own_packages(ctx)]
        # The root too: a resume past a moved HEAD packs the release commit's tree, not HEAD's.
        return "\n".join([version_of(ctx), repr(ctx.config.npm), str(ctx.root), *parts])

    def _packages(self, ctx: ReleaseContext, staging: Path) -> list[NpmPackage]:
        if ctx.config.npm.shape == "binaries":
            return generated_packages(ctx, staging)
        return own_packages(ctx)

    def _built(self, ctx: ReleaseContext) -> bool:
        """Is there something to pack? Before the build, generated packages are not."""
        if ctx.config.npm.shape != "binaries":
            return True
        try:
            return bool(ctx.manifest().of_kind("binary-archive"))
        except BadInput:
            return False

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems, user = npm_preflight.auth_problems(ctx.config.npm.registry)
        if ctx.config.npm.shape == "binaries":
            what = "the npm packages are published"
            found = follower_problem(ctx, self.name, "[npm] package", self._follows(ctx), what)
            problems += [found] if found is not None else []
        registry = Registry(ctx.config.npm.registry, PREFLIGHT)
        try:
            if user is not None:
                problems += npm_preflight.ownership_problems(registry, self._names(ctx), user)
            if not self._built(ctx):
                return problems + self._taken(ctx, registry)
            for one in self._packed(ctx):
                published(registry, one)  # other content there: an error now
        except ReleaseError as exc:
            problems.append(Problem.from_error(self.name, exc))
        return problems

    def _taken(self, ctx: ReleaseContext, registry: Registry) -> list[Problem]:
        """Before the build: this version of a package already on the registry can never be
        replaced (npm refuses a version twice), so the release stops here."""
        version = version_of(ctx)
        names = self._names(ctx)
        problems = []
        try:
            for name in names:
                if version in registry.packument(name).integrity:
                    problems.append(
                        Problem(
                            self.name,
                            f"{name}@{version} is already on the npm registry",
                            hint="npm never accepts a version twice: release the next version",
                        )
                    )
        except HttpError as exc:
            problems.append(Problem.from_error(self.name, exc))
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        if not self._built(ctx):
            return False
        registry = Registry(ctx.config.npm.registry)
        if not all(published(registry, one) for one in self._packed(ctx)):
            return False
        self._landing(ctx)
        return True

    def _landing(self, ctx: ReleaseContext) -> NpmLanding:
        """Where the packages are, for the announcers: what users install (the main
        package of generated ones), set once per run and filled as it goes."""
        if ctx.landed.npm is None:
            names = self._names(ctx)
            shown = names[-1:] if ctx.config.npm.shape == "binaries" else names
            ctx.landed.npm = NpmLanding(ctx.config.npm.registry, shown)
        return ctx.landed.npm

    def run(self, ctx: ReleaseContext) -> None:
        registry = Registry(ctx.config.npm.registry)
        packed = self._packed(ctx)
        landing = self._landing(ctx)
        with npm_tool.session(ctx.config.npm.registry, token()) as env:
            publisher = Publisher(ctx, registry, env, self._provenance(ctx))
            for one in packed:  # in order: the platform packages before the main package
                landing.items.append((one.package.name, publisher.one(one)))

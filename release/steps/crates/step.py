"""Publish the workspace's crates in dependency order, skipping what the registry already has
and waiting until the index serves a crate before publishing the crates that need it."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from release.base.errors import ReleaseError, ToolError
from release.core.engine import killpoints
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.landing import CratesLanding
from release.core.engine.step import APPLIES, Skip, Step, Verdict, skip_unless
from release.remote.net import PREFLIGHT, HttpError, RetryPolicy
from release.steps.crates import auth as crates_auth
from release.steps.crates import preflight as crates_preflight
from release.steps.crates.index import CRATES_IO_INDEX, SparseIndex
from release.steps.crates.order import Crate, closure, levels, only, publishable
from release.steps.package_scope import not_kind
from release.tools import cargo


class CratesStep(Step):
    name = "crates"
    public = True

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        return True

    def _workspace(self, ctx: ReleaseContext) -> dict[str, Crate]:
        # Looked up once until the bump step changes the versions (between verify and run).
        assert ctx.layout.cargo is not None
        return publishable(ctx.lookups.cargo_metadata(ctx.layout.cargo.parent, no_deps=True))

    def _crates(self, ctx: ReleaseContext) -> dict[str, Crate]:
        """What this release publishes: the workspace's crates, or one package's crate."""
        crates = self._workspace(ctx)
        return crates if ctx.package is None else only(crates, ctx.package.manifest_name)

    def crate_names(self, ctx: ReleaseContext) -> list[str]:
        return list(self._crates(ctx))

    def _registry(self, ctx: ReleaseContext) -> tuple[str | None, str]:
        config = ctx.config.crates
        if config.index:
            return config.registry, config.index
        if config.registry:
            assert ctx.layout.cargo is not None
            found = cargo.registry_index(ctx.layout.cargo.parent, config.registry)
            if found is None:
                raise ReleaseError(
                    f"cargo's configuration has no registry named {config.registry!r}",
                    hint=f"add [registries.{config.registry}] index = ... to .cargo/config.toml",
                )
            return config.registry, found
        return None, CRATES_IO_INDEX

    def _token(self, ctx: ReleaseContext) -> dict[str, str]:
        """The token as cargo reads it for this registry (environment only, never argv)."""
        return crates_auth.given(ctx.config.crates.registry)

    def _index(self, ctx: ReleaseContext, policy: RetryPolicy | None = None) -> SparseIndex:
        _, url = self._registry(ctx)
        token = next(iter(self._token(ctx).values()), None)
        return SparseIndex(url, token, policy)

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.crates.enabled:
            return Skip("[crates] enabled = false")
        if (other := not_kind(ctx, "crate", "no crate to publish")) is not None:
            return other
        if ctx.layout.cargo is None:
            return Skip("no Cargo workspace")
        try:
            return skip_unless(self._crates(ctx), "no publishable crate (publish = false)")
        except ReleaseError:
            return APPLIES  # check says what is wrong

    def describe(self, ctx: ReleaseContext) -> str:
        try:
            order = " → ".join("+".join(level) for level in levels(self._crates(ctx)))
            registry, url = self._registry(ctx)
        except ReleaseError:
            return "publish the crates"
        how = crates_auth.auth(ctx.config.crates.registry).source
        note = f"; {crates_preflight.CRATES_IO_TOKEN_NOTE}" if registry is None else ""
        return f"publish {order} to {registry or 'crates.io'} ({url}) with {how}{note}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        assert ctx.layout.cargo is not None
        workspace = ctx.layout.cargo.parent
        try:
            every = self._workspace(ctx)
            crates = self._crates(ctx)
            levels(crates)
            registry, _ = self._registry(ctx)
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        problems = self._local_problems(ctx, workspace, list(crates), list(every), registry)
        auth = crates_auth.auth(ctx.config.crates.registry)
        missing = crates_auth.missing(auth)
        problems += [missing] if missing is not None else []
        try:
            index = self._index(ctx, PREFLIGHT)
            index.reachable()
            published = index.versions_of(list(crates))
            problems += crates_preflight.unpublished_siblings(ctx, index.versions_of, every)
            for crate in crates.values():
                if str(ctx.version) in published[crate.name] and crate.version != str(ctx.version):
                    problems.append(
                        Problem(
                            self.name,
                            f"{crate.name} {ctx.version} is already published",
                            hint="that version is taken",
                        )
                    )
            if auth.trusted:
                crates_io = registry is None
                new = [n for n in crates if not published[n]] if crates_io else []
                problems += crates_auth.trusted_problems(index.api(), new_on_crates_io=new)
            elif auth.kind == "token" and registry is not None:
                problems += self._token_problems(ctx, index, registry)
        except HttpError as exc:
            problems.append(Problem.from_error(self.name, exc))
        if not problems:  # cargo's packaging needs the registry, and says the most
            index_given = ctx.config.crates.index if registry is None else None
            # One package's crate is packaged with the siblings it needs: those may not be
            # on the registry before their own release, earlier in the same cut.
            names = (
                list(crates) if ctx.package is None else closure(every, ctx.package.manifest_name)
            )
            packaged = crates_preflight.package_problem(
                workspace, names, registry=registry, index=index_given, root=ctx.root
            )
            problems += [packaged] if packaged is not None else []
        return problems

    def _local_problems(
        self,
        ctx: ReleaseContext,
        workspace: Path,
        names: list[str],
        siblings: list[str],
        registry: str | None,
    ) -> list[Problem]:
        found = [crates_preflight.lock_problem(self.name, workspace, ctx.relpath(workspace))]
        if registry is not None:
            meta = ctx.lookups.cargo_metadata(workspace, no_deps=True)
            found.append(
                crates_preflight.source_problem(meta, names, registry, workspace, siblings)
            )
        return [p for p in found if p is not None]

    def _token_problems(
        self, ctx: ReleaseContext, index: SparseIndex, registry: str
    ) -> list[Problem]:
        [(secret, token)] = self._token(ctx).items()
        found = crates_preflight.token_problem(index.api(), token, secret, registry)
        return [found] if found is not None else []

    def done(self, ctx: ReleaseContext) -> bool:
        crates = self._crates(ctx)
        published = self._index(ctx).versions_of(list(crates))
        if not all(crate.version in published[crate.name] for crate in crates.values()):
            return False
        self._landing(ctx, crates)
        return True

    def anything_out(self, ctx: ReleaseContext) -> bool:
        crates = self._crates(ctx)
        published = self._index(ctx).versions_of(list(crates))
        return any(crate.version in published[crate.name] for crate in crates.values())

    def _landing(self, ctx: ReleaseContext, crates: dict[str, Crate]) -> CratesLanding:
        """Where the crates are, for the announcers: set once per run, filled as it goes."""
        if ctx.landed.crates is None:
            registry, _ = self._registry(ctx)
            ctx.landed.crates = CratesLanding(registry, list(crates))
        return ctx.landed.crates

    def run(self, ctx: ReleaseContext) -> None:
        assert ctx.layout.cargo is not None
        crates = self._crates(ctx)
        registry, _ = self._registry(ctx)
        index = self._index(ctx)
        token = crates_auth.Credentials(ctx.config.crates.registry, index.api)
        publish = _Publish(ctx, ctx.layout.cargo.parent, registry, token, index)
        self._landing(ctx, crates)
        jobs = max(1, ctx.config.crates.jobs)
        try:
            for level in levels(crates):
                # Crates of one level do not depend on each other: a few publish at once;
                # the next level starts when the index serves every crate of this one.
                with ThreadPoolExecutor(max_workers=min(jobs, len(level))) as pool:
                    futures = [pool.submit(publish.one, crates[name]) for name in level]
                    errors = [f.exception() for f in futures if f.exception() is not None]
                if errors:
                    raise errors[0]  # type: ignore[misc]
        finally:  # trusted publishing's tokens are revoked whether the publish went through
            for failure in token.close():
                ctx.record(self.name, "revoke-failed", error=failure)


@dataclass(frozen=True)
class _Publish:
    """One run's publishing: where from, where to, with what token; one crate at a time."""

    ctx: ReleaseContext
    root: Path  # the workspace
    registry: str | None  # cargo's name for it; None: crates.io
    token: crates_auth.Credentials  # what cargo reads from its environment
    index: SparseIndex

    def one(self, crate: Crate) -> None:
        if crate.version in self.index.versions(crate.name):
            self._record(crate, "already-published")
            return
        killpoints.reached(f"before:crate:{crate.name}")
        self._publish(crate)
        self._wait(crate)
        self._record(crate, "published")
        killpoints.reached(f"after:crate:{crate.name}")

    def _publish(self, crate: Crate) -> None:
        attempts = max(1, self.ctx.config.crates.retries)
        for attempt in range(1, attempts + 1):
            try:  # asked each time: a long publish gets a fresh trusted-publishing token
                cargo.publish(
                    self.root,
                    package=crate.name,
                    registry=self.registry,
                    token_env=self.token.env(),
                )
                return
            except ToolError as exc:
                text = f"{exc.message}\n{exc.detail or ''}"
                transient = any(
                    s in text
                    for s in ("429", "500", "502", "503", "504", "timed out", "Connection reset")
                )
                if crate.version in self.index.versions(crate.name):
                    return  # it went through after all
                if (refused := crates_auth.refused(exc, self.registry)) is not None:
                    raise refused from None
                if not transient or attempt == attempts:
                    raise
                time.sleep(min(30.0, random.uniform(0, 2**attempt)))  # cargo hides Retry-After

    def _wait(self, crate: Crate) -> None:
        wait = self.ctx.config.crates.wait_seconds
        deadline = time.monotonic() + wait
        delay = 0.25
        while crate.version not in self.index.versions(crate.name):
            if time.monotonic() > deadline:
                raise ReleaseError(
                    f"{crate.name} {crate.version} was published but the index does not serve "
                    f"it after {wait:.0f} s",
                    hint="`release resume` continues once the registry catches up",
                )
            time.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _record(self, crate: Crate, result: str) -> None:
        self.ctx.record("crates", "item", crate=crate.name, version=crate.version, result=result)
        assert self.ctx.landed.crates is not None
        self.ctx.landed.crates.items.append((crate.name, result))

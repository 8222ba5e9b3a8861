"""The release commit's tree, for the steps that read the sources when HEAD has moved on past
it (a resume after the user committed or pulled): a build, `cargo publish`, `npm pack`, an
SBOM or `docker buildx build` then reads a scratch worktree of the release commit, never
HEAD's files, so that what goes out is what the tag names.

The step runs with a view of its context whose root, git and layout are the scratch tree's;
everything the cut keeps (dist/, the artifact manifest, the journal, what was changed and
published) is shared with the context itself, and the cargo target folder stays in the
user's work tree (ReleaseContext.kept), so that a rebuild reuses what was compiled there.
The user's work tree, index and HEAD are never touched. A context whose release commit is
HEAD (release_commit None) runs as it is: no scratch tree, no cost."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from release.base.errors import RepositoryError
from release.core.engine.context import Memo, ReleaseContext
from release.core.engine.step import Step
from release.core.plan.lookups import Lookups
from release.core.project.layout import Layout
from release.tools.git import Git
from release.tools.git_scratch import scratch_worktree

# The machine's own cargo configuration (registries, linkers, credentials providers), often
# git-ignored: carried into the scratch tree when the release commit has none of its own.
LOCAL_CONFIG = (".cargo/config.toml", ".cargo/config")


class ReleaseTrees:
    """The scratch trees of one run, one per release commit, made when a step first needs
    one and removed when the run ends (`with ReleaseTrees() as trees`)."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._trees: dict[str, Path] = {}
        self._views: dict[int, ReleaseContext] = {}

    def __enter__(self) -> ReleaseTrees:
        return self

    def __exit__(self, *exc: object) -> None:
        self._views.clear()
        self._stack.close()

    def for_step(self, ctx: ReleaseContext, step: Step) -> ReleaseContext:
        """The context `step` runs with: ctx itself, unless the step reads the sources and
        ctx's release commit is behind HEAD."""
        if ctx.release_commit is None or not step.reads_sources(ctx):
            return ctx
        view = self._views.get(id(ctx))
        if view is None:
            view = self._views[id(ctx)] = _view(ctx, self._tree(ctx))
        return view

    @contextmanager
    def running(self, ctx: ReleaseContext, step: Step) -> Iterator[ReleaseContext]:
        """for_step, with cargo's own target folder (`cargo publish` verifies a build) kept
        in the user's work tree while the step runs in a scratch tree."""
        view = self.for_step(ctx, step)
        if view is ctx or "CARGO_TARGET_DIR" in os.environ or ctx.layout.cargo is None:
            yield view
            return
        os.environ["CARGO_TARGET_DIR"] = str(ctx.layout.cargo.parent / "target")
        try:
            yield view
        finally:
            os.environ.pop("CARGO_TARGET_DIR", None)

    def _tree(self, ctx: ReleaseContext) -> Path:
        commit = ctx.release_commit
        assert commit is not None
        if commit not in self._trees:
            tree = self._stack.enter_context(
                scratch_worktree(ctx.git, commit, prefix="release-sources-")
            )
            _carry_local_config(ctx.root, tree)
            _fill_missing(ctx, tree)
            self._trees[commit] = tree
        return self._trees[commit]


def _view(ctx: ReleaseContext, tree: Path) -> ReleaseContext:
    """ctx with its sources read from `tree`. What the steps record into is shared: the
    manifest and the landings are made here first, so that the view holds the same ones."""
    if ctx.version is not None:
        ctx.manifest()
    _ = ctx.landed
    home = ctx.home or ctx.root
    return replace(
        ctx,
        root=tree,
        git=Git(tree),
        layout=_relocated(ctx.layout, ctx.root, tree),
        home=home,
        # Looked up afresh in the tree: cargo metadata and the memo's manifests name paths.
        lookups=Lookups(),
        memo=Memo(changelog_section=ctx.memo.changelog_section),
    )


def _relocated(layout: Layout, root: Path, tree: Path) -> Layout:
    def moved(path: Path) -> Path:
        return tree / path.relative_to(root) if path.is_relative_to(root) else path

    return Layout(
        cargo=moved(layout.cargo) if layout.cargo else None,
        python=[moved(p) for p in layout.python],
        version_files=[moved(p) for p in layout.version_files],
        formulas=[moved(p) for p in layout.formulas],
        dockerfile=moved(layout.dockerfile) if layout.dockerfile else None,
    )


def _carry_local_config(root: Path, tree: Path) -> None:
    for name in LOCAL_CONFIG:
        if (root / name).is_file() and not (tree / name).exists():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, tree / name)


def _fill_missing(ctx: ReleaseContext, tree: Path) -> None:
    """The files git_scratch left out for want of their content (a partial clone without
    those blobs): taken from the user's work tree where the file there is the very blob of
    the release commit, else the build cannot be what the tag names and stops here."""
    scratch = Git(tree)
    left_out = [line[2:] for line in scratch.out("ls-files", "-t").splitlines() if line[:2] == "S "]
    if not left_out:
        return
    blobs = {}
    for line in scratch.out("ls-files", "-s", "--", *left_out).splitlines():
        meta, _, path = line.partition("\t")
        blobs[path] = meta.split()[1]
    lacking = []
    for path in left_out:
        mine = ctx.root / path
        if mine.is_file() and ctx.git.out("hash-object", "--", str(mine)) == blobs.get(path):
            (tree / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(mine, tree / path)
        else:
            lacking.append(path)
    if lacking:
        shown = ", ".join(lacking[:5]) + (
            f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""
        )
        commit = ctx.release_commit or "HEAD"
        raise RepositoryError(
            f"this clone lacks the content of {shown} at the release commit of {ctx.tag} "
            f"({commit[:12]}), which the steps that read the sources build from",
            hint="fetch the missing objects (a partial clone: `git fetch --refetch origin`), "
            "or resume in a full clone; then `release resume`",
        )

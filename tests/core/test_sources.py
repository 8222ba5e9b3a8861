"""Which context a step runs with (core/engine/sources.py): the release commit's scratch tree
for a step that reads the sources when HEAD has moved on past it, sharing the cut's dist/,
manifest and changes; the context itself otherwise, with no scratch tree made."""

from __future__ import annotations

import pytest

from release.base.errors import RepositoryError
from release.core.engine.context import ReleaseContext
from release.core.engine.sources import ReleaseTrees
from release.core.plan.planning import plan_behind_head, plan_tagged
from release.steps.artifacts.checksums import ChecksumsStep
from release.steps.artifacts.wheels import WheelsStep
from tests.conftest import Repo

MODULE = "src/demo/__init__.py"


def _released(repo: Repo) -> str:
    repo.write("pyproject.toml", '[project]\nname = "demo"\nversion = "0.1.0"\n')
    repo.write(MODULE, '__version__ = "0.1.0"\nSAYS = "released"\n')
    repo.write(".gitignore", ".cargo/\n")
    repo.write(".cargo/config.toml", "[net]\noffline = true\n")  # the machine's, ignored
    commit = repo.commit("chore(release): v0.1.0")
    repo.tag("v0.1.0")
    return commit


def _worktrees(repo: Repo) -> int:
    return len(repo.git("worktree", "list").splitlines())


def test_past_a_moved_head_a_build_reads_the_release_commit(repo: Repo) -> None:
    commit = _released(repo)
    repo.write(MODULE, '__version__ = "0.1.0"\nSAYS = "later"\n')
    repo.commit("fix: later")
    ctx = plan_behind_head(repo.path, "v0.1.0")
    assert ctx.release_commit == commit
    with ReleaseTrees() as trees:
        view = trees.for_step(ctx, WheelsStep())
        assert view is not ctx and view.root != ctx.root
        assert 'SAYS = "released"' in (view.root / MODULE).read_text()
        assert view.git.head() == commit
        assert [p.parent for p in view.layout.python] == [view.root]
        assert (view.root / ".cargo/config.toml").read_text() == "[net]\noffline = true\n"
        # What the cut keeps is the user's: dist/, the manifest, the changes.
        assert view.dist == ctx.dist == repo.path / "dist"
        assert view.manifest() is ctx.manifest() and view.changes is ctx.changes
        assert view.kept(view.root / "target") == repo.path / "target"
        assert trees.for_step(ctx, WheelsStep()) is view  # one tree, one view per context
        # A step that reads dist/ only runs with the context itself.
        assert trees.for_step(ctx, ChecksumsStep()) is ctx
        assert _worktrees(repo) == 2
        scratch = view.root
    assert _worktrees(repo) == 1 and not scratch.exists()
    assert 'SAYS = "later"' in (repo.path / MODULE).read_text()
    assert repo.status() == ""


def test_at_the_release_commit_nothing_is_made(repo: Repo) -> None:
    _released(repo)
    ctx: ReleaseContext = plan_tagged(repo.path)
    assert ctx.release_commit is None
    with ReleaseTrees() as trees:
        assert trees.for_step(ctx, WheelsStep()) is ctx
        assert _worktrees(repo) == 1
    assert ctx.dist == repo.path / "dist"
    assert ctx.kept(repo.path / "target") == repo.path / "target"


def _lose(repo: Repo, rev_path: str) -> None:
    """The blob's loose object removed: a clone without it, as a partial clone is."""
    oid = repo.git("rev-parse", rev_path)
    (repo.path / ".git" / "objects" / oid[:2] / oid[2:]).unlink()


def test_a_blob_the_clone_lacks_is_taken_from_the_work_tree_only_when_it_is_the_same(
    repo: Repo,
) -> None:
    _released(repo)
    repo.write(MODULE, '__version__ = "0.1.0"\nSAYS = "later"\n')
    repo.commit("fix: later")
    _lose(repo, "v0.1.0:pyproject.toml")  # unchanged since: the work tree has its content
    ctx = plan_behind_head(repo.path, "v0.1.0")
    with ReleaseTrees() as trees:
        view = trees.for_step(ctx, WheelsStep())
        assert (view.root / "pyproject.toml").read_text() == (
            repo.path / "pyproject.toml"
        ).read_text()
    _lose(repo, "v0.1.0:" + MODULE)  # changed since: nowhere to be found
    with ReleaseTrees() as trees, pytest.raises(RepositoryError) as refused:
        trees.for_step(ctx, WheelsStep())
    assert MODULE in refused.value.message and "git fetch --refetch" in str(refused.value.hint)
    assert _worktrees(repo) == 1 and 'SAYS = "later"' in (repo.path / MODULE).read_text()

"""A train (independent mode) killed after its tags were made and its first crate published,
whose HEAD then moved on: a commit on top, or a merge of the branch a colleague pushed to.
`release resume` finishes it from the release commit, each package once; a HEAD without the
release commit is refused with nothing changed; one whose commits changed the sources a
package still has to build from builds that package from the release commit's tree. The
workspace of tests/e2e/test_independent_cut.py."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import git, run_release
from .test_independent_cut import Workspace
from .test_independent_cut import workspace as workspace  # the fixture, shared

CRATES = [("lens-core", "0.4.0"), ("lens-left", "1.2.1"), ("lens-right", "1.0.1")]
KILL = "after:crate:lens-core"  # tagged, and lens-core on its registry: partly public


@dataclass
class Killed:
    ws: Workspace
    release_commit: str
    tags: list[str]
    before: set[str]  # pypiserver's files before the cut (the server is shared)


@pytest.fixture
def killed(workspace: Workspace) -> Killed:
    """The train cut and killed after lens-core's crate."""
    ws = workspace
    ws.commit("feat(core): a probe", "crates/lens-core/src/lib.rs")
    ws.commit("fix: a typo", "py/src/lens_py/extra.py")
    before = set(ws.pypi.files())
    cut = run_release(ws.path, "cut", "--yes", env={**ws.env, "RELEASE_TEST_KILL_AT": KILL})
    assert cut.code == -9, cut.err
    assert ws.crates.log.versions() == [("lens-core", "0.4.0")]
    tags = [f"{name}-v{version}" for name, version in CRATES] + [f"{ws.py}-v0.5.1"]
    return Killed(ws, git(ws.path, "rev-parse", "HEAD"), tags, before)


def _status(ws: Workspace) -> dict[str, Any]:
    releases: list[dict[str, Any]] = json.loads(run_release(ws.path, "status", "--json").out)[
        "releases"
    ]
    return releases[-1]


def _released_once(killed: Killed) -> None:
    """Every package's artifact once, its tag on the release commit, pushed with HEAD."""
    ws, release_commit, tags = killed.ws, killed.release_commit, killed.tags
    assert sorted(ws.crates.log.versions()) == CRATES
    new = sorted(set(ws.pypi.files()) - killed.before)
    assert new == [f"{ws.wheel}-0.5.1-py3-none-any.whl", f"{ws.wheel}-0.5.1.tar.gz"]
    assert ws.release_tags() == sorted(tags)
    for tag in tags:
        assert git(ws.path, "rev-parse", f"{tag}^{{commit}}") == release_commit
    assert set(tags) <= ws.remote_tags()
    remote_main = git(ws.path, "ls-remote", str(ws.remote), "refs/heads/main").split()[0]
    assert remote_main == git(ws.path, "rev-parse", "HEAD")
    assert _status(ws)["state"] == "done"


def test_a_commit_on_top_resumes_from_the_release_commit(
    killed: Killed,
) -> None:
    ws, release_commit = killed.ws, killed.release_commit
    note = ws.path / "NOTES.md"
    note.write_text("written after the kill\n")
    # Uncommitted work: refused and kept, nothing published.
    dirty = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert dirty.code == 2 and "NOTES.md" in dirty.err, dirty.err
    assert note.read_text() == "written after the kill\n"
    assert ws.crates.log.versions() == [("lens-core", "0.4.0")]
    git(ws.path, "add", "NOTES.md")
    git(ws.path, "commit", "-qm", "docs: notes")
    said = run_release(ws.path, "status").out
    assert f"moved on past its release commit ({release_commit[:12]})" in said, said
    assert "`release resume` finishes" in said
    resumed = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert resumed.code == 0, resumed.err
    _released_once(killed)
    assert git(ws.path, "log", "-1", "--format=%s") == "docs: notes"
    assert note.read_text() == "written after the kill\n"


def test_a_merged_branch_that_moved_resumes_from_the_release_commit(
    killed: Killed, tmp_path: Path
) -> None:
    ws = killed.ws
    clone = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(ws.remote), str(clone))
    (clone / "CONTRIBUTING.md").write_text("a colleague's guide\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "docs: a guide")
    git(clone, "push", "-q", "origin", "main")
    theirs = git(clone, "rev-parse", "HEAD")
    git(ws.path, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert git(ws.path, "rev-parse", "HEAD^2") == theirs  # a merge commit on top
    resumed = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert resumed.code == 0, resumed.err
    _released_once(killed)
    again = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert again.code == 2 and "no interrupted release" in again.err


def test_killed_before_its_commit_a_train_is_cut_again_from_head_as_it_is_now(
    workspace: Workspace, tmp_path: Path
) -> None:
    """No release commit yet: the cut's files are put back and the same versions cut again
    from the user's new HEAD; a branch that moved then stops it with nothing public, and the
    repository is put back to that HEAD, clean (the fault model found it left dirty)."""
    ws = workspace
    ws.commit("fix: a typo", "py/src/lens_py/extra.py")
    killed = run_release(
        ws.path, "cut", "--yes", env={**ws.env, "RELEASE_TEST_KILL_AT": "after:changelog"}
    )
    assert killed.code == -9, killed.err
    (ws.path / "NOTES.md").write_text("mine\n")
    git(ws.path, "add", "NOTES.md")
    git(ws.path, "commit", "-qm", "docs: notes", "--", "NOTES.md")  # the cut's files stay out
    mine = git(ws.path, "rev-parse", "HEAD")
    clone = tmp_path / "colleague"
    git(tmp_path, "clone", "-q", str(ws.remote), str(clone))
    (clone / "GUIDE.md").write_text("theirs\n")
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", "docs: a guide")
    git(clone, "push", "-q", "origin", "main")
    stopped = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert stopped.code == 1 and "moved since the cut started" in stopped.err, stopped.err
    assert "nothing is public" in stopped.err
    assert git(ws.path, "rev-parse", "HEAD") == mine and git(ws.path, "status", "--porcelain") == ""
    assert git(ws.path, "tag", "--points-at", "HEAD") == ""
    git(ws.path, "pull", "-q", "--rebase", "origin", "main")
    cut = run_release(ws.path, "cut", "--yes", env=ws.env)
    assert cut.code == 0, cut.err
    assert git(ws.path, "tag", "--points-at", "HEAD") == f"{ws.py}-v0.5.1"
    assert (ws.path / "NOTES.md").read_text() == "mine\n"


def test_a_head_off_the_release_commit_is_refused_and_one_past_it_builds_the_release(
    killed: Killed,
) -> None:
    ws, release_commit, tags = killed.ws, killed.release_commit, killed.tags

    def refused(*wanted: str) -> None:
        head, files = git(ws.path, "rev-parse", "HEAD"), ws.pypi.files()
        result = run_release(ws.path, "resume", "--yes", env=ws.env)
        assert result.code == 2, result.err
        for text in wanted:
            assert text in result.err, result.err
        assert git(ws.path, "rev-parse", "HEAD") == head and ws.pypi.files() == files
        assert git(ws.path, "status", "--porcelain") == ""
        assert ws.crates.log.versions() == [("lens-core", "0.4.0")]

    # Another branch, from before the release commit.
    git(ws.path, "switch", "-q", "-c", "elsewhere", f"{release_commit}~1")
    refused("HEAD does not contain the release commit", f"git merge {tags[0]}")
    status = _status(ws)
    assert status["resumable"] is False and "does not contain" in status["head_says"]
    assert "`release resume` finishes" not in run_release(ws.path, "status").out
    # Back on main, a commit that changes lens-left, still to be built and published: its
    # crate is built from the release commit's tree (core/engine/sources.py), not from HEAD's.
    git(ws.path, "switch", "-q", "main")
    lib = "crates/lens-left/src/lib.rs"
    released = git(ws.path, "show", f"{release_commit}:{lib}")
    ws.commit("fix(left): after the tag", lib)
    mine = git(ws.path, "rev-parse", "HEAD")
    resumed = run_release(ws.path, "resume", "--yes", env=ws.env)
    assert resumed.code == 0, resumed.err
    _released_once(killed)
    crate = ws.crates.crate_file("lens-left", "1.2.1")
    assert crate is not None
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(crate))) as tar:
        [member] = [m for m in tar.getmembers() if m.name.endswith("/src/lib.rs")]
        extracted = tar.extractfile(member)
        assert extracted is not None
        assert extracted.read().decode().strip() == released.strip()
    assert git(ws.path, "rev-parse", "HEAD") == mine and git(ws.path, "status", "--porcelain") == ""
    assert (ws.path / lib).read_text().endswith("// fix(left): after the tag\n")

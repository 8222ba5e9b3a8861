"""What a journal says about a release that stopped half-way: what is public, what is left, and
what a restore may touch; and the version forms a destination cannot name."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.core.engine import naming, recovery
from release.core.engine.journal import Journal
from release.core.plan.planning import plan
from tests.conftest import Repo

START = {"head": "abc", "planned": ["bump", "crates", "push", "slack"]}
PUBLIC = {"public": ["crates", "push"], "atomic": ["push"]}


def _journal(tmp_path: Path, *events: tuple[str, str, dict[str, object]]) -> Journal:
    journal = Journal(tmp_path / "v1.2.0.jsonl")
    journal.record("cut", "start", tag="v1.2.0", version="1.2.0", **START, **PUBLIC)
    for step, event, detail in events:
        journal.record(step, event, **detail)
    return journal


def test_a_failure_after_an_item_is_public_and_says_what_is_left(tmp_path: Path) -> None:
    journal = _journal(
        tmp_path,
        ("bump", "done", {}),
        ("crates", "start", {}),
        ("crates", "item", {"crate": "a"}),
        ("crates", "done", {}),
        ("push", "start", {}),
        ("push", "failed", {"error": "rejected"}),
        ("cut", "failed", {"restored": True}),  # an older process's wrong word is overruled
    )
    summary = journal.summary()
    assert summary["out"] == ["crates"]
    assert summary["left"] == ["push", "slack"]
    assert summary["maybe_out"] == []  # a failed push (atomic) published nothing


def test_a_restored_failure_forgets_what_came_before_it(tmp_path: Path) -> None:
    journal = _journal(
        tmp_path,
        ("crates", "start", {}),
        ("crates", "failed", {"error": "403"}),
        ("cut", "failed", {"restored": True}),
    )
    summary = journal.summary()
    assert summary["state"] == "restored" and summary["out"] == []
    assert recovery.since_last_restore(journal.entries()) == []


def test_a_publish_on_the_tag_closes_the_cut(tmp_path: Path) -> None:
    journal = _journal(tmp_path, ("crates", "done", {}), ("cut", "failed", {"restored": False}))
    assert journal.summary()["state"] == "failed"
    journal.record("publish", "start", planned=["push"])
    journal.record("push", "done")
    journal.record("publish", "done")
    assert journal.summary()["state"] == "done"


def test_a_started_publisher_is_asked_its_destination(tmp_path: Path) -> None:
    class Step:
        name, public, atomic = "crates", True, False

        def __init__(self, out: bool | None) -> None:
            self.out = out

        def anything_out(self, ctx: object) -> bool:
            if self.out is None:
                raise OSError("the index is down")
            return self.out

    journal = _journal(tmp_path, ("crates", "start", {}), ("crates", "failed", {}))
    for out, public in ((False, False), (True, True), (None, True)):
        steps = [("crates", None, Step(out))]
        assert recovery.went_public(journal, steps) is public  # type: ignore[arg-type]


def test_restore_puts_back_only_the_files_the_cut_left_as_it_wrote_them(repo: Repo) -> None:
    repo.commit("feat: a thing")
    ctx = plan(repo.path, "1.2.0")
    start = repo.git("rev-parse", "HEAD")
    ctx.changes.start_head = start
    ours, theirs = repo.path / "ours.txt", repo.path / "notes.txt"
    ours.write_text("written by the cut\n")
    theirs.write_text(theirs.read_text() + "written by the cut\n")
    ctx.changes.written = {
        "ours.txt": recovery.digest(ours) or "",
        "notes.txt": recovery.digest(theirs) or "",
    }
    repo.git("add", "-A")
    repo.git("commit", "-qm", "chore(release): v1.2.0")
    theirs.write_text(theirs.read_text() + "and then by the user\n")  # edited since
    kept = recovery.restore(ctx)
    assert kept == ["notes.txt (changed since the cut wrote it)"]
    assert repo.git("rev-parse", "HEAD") == start
    assert not ours.exists()
    assert theirs.read_text().endswith("and then by the user\n")


@pytest.mark.parametrize(
    ("applying", "reason"),
    [
        ({"crates"}, "build metadata"),
        ({"pypi"}, "local version"),
        ({"docker"}, "not a valid Docker tag"),
    ],
)
def test_build_metadata_is_refused_by_each_destination(
    repo: Repo, applying: set[str], reason: str
) -> None:
    repo.commit("feat: a thing")
    ctx = plan(repo.path, "1.2.0+build.5")
    [problem] = naming.problems(ctx, applying)
    assert reason in problem.message and problem.step in applying
    assert naming.problems(plan(repo.path, "1.2.0"), {"crates", "pypi", "docker"}) == []

"""A commit whose message is not valid UTF-8: git-cliff reads it as empty; the toolkit reads
it through git, parses it, counts it and renders it in its release's section."""

from __future__ import annotations

from release.tools import cliff

from ..conftest import Repo, run_release


def _latin1_commit(repo: Repo, message: bytes) -> str:
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    parent = repo.git("rev-parse", "HEAD").strip()
    head = f"tree {tree}\nparent {parent}\nauthor A <a@example.test> 1700000000 +0000\n"
    head += "committer A <a@example.test> 1700000000 +0000\n\n"
    (repo.path.parent / "raw").write_bytes(head.encode() + message)
    commit = repo.git("hash-object", "-t", "commit", "-w", str(repo.path.parent / "raw")).strip()
    repo.git("reset", "-q", "--hard", commit)
    return commit


def test_an_unreadable_message_is_parsed_counted_and_rendered(repo: Repo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    broken = _latin1_commit(repo, b"feat(ui)!: caf\xe9 menu\n\nBREAKING CHANGE: \xff\n")
    repo.commit("fix: last")
    commits = cliff.read_commits(repo.path, "v1.0.0..HEAD")
    [unreadable] = [c for c in commits if c.unreadable is not None]
    assert unreadable.id == broken
    assert (unreadable.type, unreadable.scope, unreadable.breaking) == ("feat", "ui", True)
    assert unreadable.description == "caf\ufffd menu"
    config = cliff.default_config()
    section = cliff.render(
        repo.path,
        config,
        rev_range="v1.0.0..HEAD",
        tag_pattern=r"^v\d",
        tag="v2.0.0",
        strip="all",
        unreadable=[unreadable],
    )
    assert section.startswith("## [2.0.0]") and "[Unreleased]" not in section
    assert "af\ufffd menu" in section and "Last" in section
    assert run_release(repo.path, "next").out.strip() == "2.0.0"  # a breaking feat counts
    shown = run_release(repo.path, "changelog", "--unreleased").out
    assert "af\ufffd menu" in shown and "Last" in shown


def test_a_packages_changelog_shows_its_unreadable_commit(repo: Repo) -> None:
    from release.steps.changelog.step import render_section
    from tests.steps.package_repo import contexts, independent

    independent(repo)
    repo.write("py/more.txt", "more\n")
    repo.git("add", "py/more.txt")
    tree = repo.git("write-tree").strip()
    parent = repo.git("rev-parse", "HEAD").strip()
    head = f"tree {tree}\nparent {parent}\nauthor A <a@example.test> 1700000000 +0000\n"
    head += "committer A <a@example.test> 1700000000 +0000\n\n"
    (repo.path.parent / "raw").write_bytes(head.encode() + b"fix(py): caf\xe9 typo\n")
    commit = repo.git("hash-object", "-t", "commit", "-w", str(repo.path.parent / "raw")).strip()
    repo.git("reset", "-q", "--hard", commit)
    found = contexts(repo)
    assert "af\ufffd typo" in render_section(found["lens-py"])
    assert "af\ufffd typo" not in render_section(found["lens-core"])

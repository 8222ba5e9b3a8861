"""Next versions computed from real git histories."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import RepositoryError, VersionError
from release.core.plan.planning import plan
from tests.conftest import Repo, git


def released(repo: Repo, tag: str = "v1.1.0") -> None:
    repo.commit("feat: first")
    repo.tag(tag)


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (["fix: a"], "1.1.1"),
        (["perf(db): faster"], "1.1.1"),
        (["fix: a", "feat(api): b"], "1.2.0"),
        (["feat!: drop the old API"], "2.0.0"),
        (["fix: a\n\nBREAKING CHANGE: the flag is gone"], "2.0.0"),
        (["feat(x)!: b", "fix: c"], "2.0.0"),
        (["WIP", "Merge branch 'x'", "fix: a"], "1.1.1"),
    ],
)
def test_bump_from_commits(repo: Repo, messages: list[str], expected: str) -> None:
    released(repo)
    for message in messages:
        repo.commit(message)
    assert str(plan(repo.path).version) == expected


def test_only_chores_means_no_release(repo: Repo) -> None:
    released(repo)
    for message in ["docs: a", "chore: b", "style: c", "ci: d", "test: e"]:
        repo.commit(message)
    ctx = plan(repo.path)
    assert ctx.version is None
    assert "v1.1.0" in ctx.reason


def test_zero_major_breaking_bumps_minor(repo: Repo) -> None:
    released(repo, "v0.4.2")
    repo.commit("feat!: new world")
    assert str(plan(repo.path).version) == "0.5.0"


def test_no_tag_gives_the_initial_version(repo: Repo) -> None:
    repo.commit("feat: a")
    ctx = plan(repo.path)
    assert str(ctx.version) == "0.1.0" and ctx.previous is None


def test_highest_reachable_tag_not_the_newest(repo: Repo) -> None:
    repo.commit("feat: a")
    repo.tag("v2.0.0")
    repo.commit("fix: b")
    repo.tag("v1.9.9")  # tagged later, but lower
    repo.commit("fix: c")
    ctx = plan(repo.path)
    assert ctx.previous is not None and ctx.previous.tag == "v2.0.0"
    assert str(ctx.version) == "2.0.1"


def test_rc_tags_on_a_side_branch_do_not_count(repo: Repo) -> None:
    released(repo)
    repo.git("checkout", "-q", "-b", "next")
    repo.commit("feat!: big")
    repo.tag("v2.0.0-rc.1")
    repo.git("checkout", "-q", "main")
    repo.commit("fix: small")
    ctx = plan(repo.path)
    assert ctx.previous is not None and ctx.previous.tag == "v1.1.0"
    assert str(ctx.version) == "1.1.1"


def test_other_tag_formats_are_ignored(repo: Repo) -> None:
    released(repo)
    repo.commit("fix: x")
    repo.tag("pkg@9.0.0")
    repo.commit("feat: y")
    assert str(plan(repo.path).version) == "1.2.0"


def test_configured_tag_format(repo: Repo) -> None:
    repo.write("release.toml", '[version]\ntag_format = "pkg@{version}"\n')
    repo.commit("chore: config")
    repo.tag("pkg@0.3.0")
    repo.tag("v9.9.9")
    repo.commit("feat: y")
    ctx = plan(repo.path)
    assert str(ctx.version) == "0.4.0" and ctx.tag == "pkg@0.4.0"


def test_prereleases_then_final(repo: Repo) -> None:
    released(repo)
    repo.commit("feat: new")
    assert str(plan(repo.path, pre="rc").version) == "1.2.0-rc.1"
    repo.tag("v1.2.0-rc.1")
    repo.commit("fix: after rc1")
    assert str(plan(repo.path, pre="rc").version) == "1.2.0-rc.2"
    assert str(plan(repo.path).version) == "1.2.0"  # the final follows the rc


def test_explicit_version_rules(repo: Repo) -> None:
    released(repo)
    repo.commit("docs: only")
    assert str(plan(repo.path, "1.1.1").version) == "1.1.1"
    assert str(plan(repo.path, "2.0.0", pre="rc").version) == "2.0.0-rc.1"
    for bad in ["1.1.0", "1.0.9", "1.2", "01.2.3"]:
        with pytest.raises(VersionError):
            plan(repo.path, bad)


def test_shallow_clone_without_tags(repo: Repo, tmp_path: Path) -> None:
    released(repo)
    for i in range(3):
        repo.commit(f"fix: {i}")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo.path}", str(clone))
    with pytest.raises(RepositoryError) as err:
        plan(clone)
    assert "fetch-depth: 0" in (err.value.hint or "")


def test_shallow_clone_with_the_last_tag_fetched(repo: Repo, tmp_path: Path) -> None:
    released(repo)
    for i in range(3):
        repo.commit(f"feat: {i}")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{repo.path}", str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "tag", "v1.1.0")
    with pytest.raises(RepositoryError) as err:  # the tag, but not the commits since
        plan(clone)
    assert "has the tag v1.1.0" in err.value.message
    assert "fetch-depth: 0" not in (err.value.hint or "")
    assert "--shallow-exclude=v1.1.0" in (err.value.hint or "")
    git(clone, "fetch", "-q", "--shallow-exclude=v1.1.0", "origin")  # as the hint says
    ctx = plan(clone)
    assert ctx.previous is not None and ctx.previous.tag == "v1.1.0"
    assert str(ctx.version) == "1.2.0" and len(ctx.commits) == 3


def test_detached_head_at_a_release_tag(repo: Repo) -> None:
    released(repo)
    repo.commit("fix: later")
    repo.git("checkout", "-q", "v1.1.0")
    ctx = plan(repo.path)
    assert ctx.version is None
    assert ctx.reason == "nothing committed since v1.1.0 (HEAD is at it)"


def test_prerelease_tags_on_a_side_branch_above_the_main_line(repo: Repo) -> None:
    released(repo)
    repo.git("checkout", "-q", "-b", "next")
    for n in range(1, 20):
        repo.commit(f"feat: next {n}")
        repo.tag(f"v2.0.0-rc.{n}")
    repo.git("checkout", "-q", "main")
    repo.commit("fix: on main")
    ctx = plan(repo.path)
    assert ctx.previous is not None and ctx.previous.tag == "v1.1.0"
    assert str(ctx.version) == "1.1.1"


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(RepositoryError, match="not inside a git repository"):
        plan(tmp_path)


def test_warnings_for_non_conventional_and_merges(repo: Repo) -> None:
    released(repo)
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("feat(side): s", file="side.txt")
    repo.git("checkout", "-q", "main")
    repo.commit("WIP tweak")
    repo.git("merge", "-q", "--no-ff", "side", "-m", "Merge branch 'side'")
    ctx = plan(repo.path)
    assert str(ctx.version) == "1.2.0"
    messages = [w.message for w in ctx.warnings]
    assert any("1 merge commit" in m for m in messages)
    assert any("'WIP tweak'" in m for m in messages)


def test_many_unreachable_higher_tags_fall_back_to_one_walk(repo: Repo) -> None:
    released(repo)
    repo.git("checkout", "-q", "-b", "next")
    for i in range(20):
        repo.commit(f"feat: side {i}", file="side.txt")
        repo.tag(f"v{2 + i}.0.0-rc.1")
    repo.git("checkout", "-q", "main")
    repo.commit("fix: small")
    ctx = plan(repo.path)
    assert ctx.previous is not None and ctx.previous.tag == "v1.1.0"
    assert str(ctx.version) == "1.1.1"


def test_previous_rc_and_base_final_both_found(repo: Repo) -> None:
    released(repo)
    repo.commit("feat: new")
    repo.tag("v1.2.0-rc.1")
    repo.commit("fix: later")
    ctx = plan(repo.path)
    assert ctx.previous is not None and ctx.base is not None
    assert (ctx.previous.tag, ctx.base.tag) == ("v1.2.0-rc.1", "v1.1.0")

"""`release cut --package NAME [VERSION]`: the asked packages and what must go with them."""

from __future__ import annotations

import pytest

from release.base.errors import BadInput, VersionError
from release.base.versioning import Version
from release.core.plan.independent import PackagePlan
from release.core.plan.release_mode import independent_plan
from release.core.settings import config
from release.tools.git import Git
from tests.conftest import Repo
from tests.core.test_independent import workspace  # noqa: F401  (the shared fixture)


def selected(
    repo: Repo, only: dict[str, Version | None], exclude: frozenset[str] = frozenset()
) -> dict[str, PackagePlan]:
    git = Git.discover(repo.path)
    plans = independent_plan(git, config.load(git.root), None, only=only, exclude=exclude)
    assert plans is not None
    return {p.package.name: p for p in plans if p.version}


def test_only_the_asked_package_of_several_changed(workspace: Repo) -> None:  # noqa: F811
    workspace.commit("fix(app): a crash", file="crates/app/src/main.rs")
    workspace.commit("feat: a client option", file="py/src/lens_py/__init__.py")
    plans = selected(workspace, {"lens-py": None})
    assert {n: str(p.version) for n, p in plans.items()} == {"lens-py": "0.6.0"}


def test_an_asked_dependency_pulls_its_dependents(workspace: Repo) -> None:  # noqa: F811
    workspace.commit("feat(core): a probe", file="crates/core/src/lib.rs")
    workspace.commit("feat(app): a flag", file="crates/app/src/main.rs")
    plans = selected(workspace, {"core": None})
    # app's own feature waits for its own cut; left and right must follow core 0.4.
    assert {n: str(p.version) for n, p in plans.items()} == {
        "core": "0.4.0",
        "left": "1.2.1",
        "right": "1.0.1",
    }


def test_an_explicit_version_without_changes(workspace: Repo) -> None:  # noqa: F811
    plans = selected(workspace, {"app": Version.parse("3.0.0")})
    assert str(plans["app"].version) == "3.0.0" and plans["app"].explicit
    assert "3.0.0 given on the command line" in plans["app"].reasons


def test_an_explicit_version_must_be_above_the_last_tag(workspace: Repo) -> None:  # noqa: F811
    with pytest.raises(VersionError, match=r"not greater than the last release 2\.0\.0"):
        selected(workspace, {"app": Version.parse("2.0.0")})


def test_nothing_to_release_in_the_asked_package(workspace: Repo) -> None:  # noqa: F811
    workspace.commit("fix(app): a crash", file="crates/app/src/main.rs")
    with pytest.raises(BadInput, match=r"nothing in core calls for a release since core-v0\.3\.0"):
        selected(workspace, {"core": None})


def test_an_unknown_package_names_the_known_ones(workspace: Repo) -> None:  # noqa: F811
    with pytest.raises(BadInput, match="no package 'nope'") as caught:
        selected(workspace, {"nope": None})
    assert caught.value.hint is not None and "core" in caught.value.hint


def test_a_group_takes_its_members_explicit_version(workspace: Repo) -> None:  # noqa: F811
    workspace.write("release.toml", '[version]\ngroups = [{ packages = ["app", "lens-py"] }]\n')
    workspace.commit("chore: config")
    plans = selected(workspace, {"app": Version.parse("4.0.0")})
    assert {n: str(p.version) for n, p in plans.items()} == {"app": "4.0.0", "lens-py": "4.0.0"}


def test_tags_at_head_left_out_give_the_release_again(workspace: Repo) -> None:  # noqa: F811
    # A resumed cut: the release commit is tagged; leaving its tags out plans it again.
    workspace.commit("fix(app): a crash", file="crates/app/src/main.rs")
    workspace.tag("app-v2.0.1")
    plans = selected(workspace, {"app": Version.parse("2.0.1")}, exclude=frozenset({"app-v2.0.1"}))
    assert plans["app"].previous is not None and plans["app"].previous.tag == "app-v2.0.0"
    assert [c.summary for c in plans["app"].changes] == ["fix(app): a crash"]


def test_commits_that_release_nothing_are_explained(workspace: Repo) -> None:  # noqa: F811
    # release-plz's own history: unconventional messages touch a crate; nothing is released,
    # and the plan says why rather than staying silent.
    workspace.commit("Limit first-release commit scan (#2497)", file="crates/core/src/lib.rs")
    workspace.commit("chore(core): tidy", file="crates/core/src/lib.rs")
    git = Git.discover(workspace.path)
    plans = independent_plan(git, config.load(git.root), None)
    assert plans is not None
    [core] = [p for p in plans if p.package.name == "core"]
    assert core.version is None
    assert "2 commit(s), none calls for a release (1 not conventional)" in core.reasons


def test_build_and_publish_say_a_package_tag_is_not_theirs(workspace: Repo) -> None:  # noqa: F811
    from release.base.errors import RepositoryError
    from release.core.plan.planning import plan_tagged

    workspace.commit("fix(app): a crash", file="crates/app/src/main.rs")
    workspace.tag("app-v2.0.1")
    with pytest.raises(RepositoryError, match="versions its packages independently") as caught:
        plan_tagged(workspace.path)
    assert caught.value.hint is not None and "release cut" in caught.value.hint


def test_verify_with_nothing_to_release_still_shows_each_package(workspace: Repo) -> None:  # noqa: F811
    from tests.conftest import run_release

    workspace.commit("docs(core): typo", file="crates/core/README.md")
    shown = run_release(workspace.path, "verify", env={"COLUMNS": "200"})
    assert shown.code == 0 and "no package has a change that calls for one" in shown.err
    rows = {line.split("│")[1].strip(): line for line in shown.out.splitlines() if "│" in line}
    assert "1 commit(s), none calls for a release (no type that bumps)" in rows["core"]
    assert set(rows) >= {"core", "left", "right", "app", "lens-py", "@acme/web"}

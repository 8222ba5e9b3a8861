"""Independent versions computed from real git histories: a diamond of crates, a Python
package and a package.json package in one repository, each with its own tags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.plan.independent import PackagePlan
from release.core.plan.release_mode import independent_plan
from release.core.settings import config
from release.tools.git import Git
from tests.conftest import Repo, run_release

CRATES = {  # name -> (version, {dependency: requirement})
    "core": ("0.3.0", {}),
    "left": ("1.2.0", {"core": "0.3"}),
    "right": ("1.0.0", {"core": "0.3.0"}),
    "app": ("2.0.0", {"left": "1.2", "right": "1"}),
}


def crate(name: str, version: str, deps: dict[str, str]) -> str:
    lines = [f'[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n']
    if deps:
        lines.append("[dependencies]")
        lines += [f'{d} = {{ path = "../{d}", version = "{r}" }}' for d, r in deps.items()]
    lines.append('[dev-dependencies]\ntestkit = { path = "../testkit" }')
    return "\n".join(lines) + "\n"


@pytest.fixture
def workspace(repo: Repo) -> Repo:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    for name, (version, deps) in CRATES.items():
        repo.write(f"crates/{name}/Cargo.toml", crate(name, version, deps))
        repo.write(f"crates/{name}/src/lib.rs", "")
    repo.write(
        "crates/testkit/Cargo.toml",
        '[package]\nname = "testkit"\nversion = "0.0.0"\npublish = false\n',
    )
    repo.write(
        "py/pyproject.toml",
        '[project]\nname = "Lens_Py"\nversion = "0.5.0"\ndependencies = ["httpx>=0.27"]\n',
    )
    repo.write("web/package.json", json.dumps({"name": "@acme/web", "version": "1.0.0"}) + "\n")
    repo.write("Cargo.lock", "# lock\n")
    repo.commit("chore: start")
    for name, (version, _) in CRATES.items():
        repo.tag(f"{name}-v{version}")
    repo.tag("lens-py-v0.5.0")
    repo.tag("@acme/web-v1.0.0")
    return repo


def plan_of(path: Path, pre: str | None = None) -> list[PackagePlan] | None:
    git = Git.discover(path)
    return independent_plan(git, config.load(git.root), pre)


def planned(repo: Repo, pre: str | None = None) -> dict[str, PackagePlan]:
    plans = plan_of(repo.path, pre)
    assert plans is not None, "the disagreeing versions make the repository independent"
    return {p.package.name: p for p in plans}


def versions(repo: Repo, pre: str | None = None) -> dict[str, str]:
    return {n: str(p.version) for n, p in planned(repo, pre).items() if p.version}


def test_a_leaf_fix_releases_only_the_leaf(workspace: Repo) -> None:
    workspace.commit("fix(app): a crash", file="crates/app/src/main.rs")
    assert versions(workspace) == {"app": "2.0.1"}


def test_a_shared_dependency_pulls_the_dependents_whose_range_it_leaves(
    workspace: Repo,
) -> None:
    # 0.3 -> 0.4 leaves `0.3` and `0.3.0` (caret): both dependents follow with a patch. Their
    # new versions stay inside app's `1.2` and `1`: app is not released.
    workspace.commit("feat(core): a new probe", file="crates/core/src/lib.rs")
    assert versions(workspace) == {"core": "0.4.0", "left": "1.2.1", "right": "1.0.1"}
    left = planned(workspace)["left"]
    assert any("requires core 0.4.0" in reason for reason in left.reasons)


def test_a_patch_inside_every_range_pulls_nobody(workspace: Repo) -> None:
    workspace.commit("fix(core): off by one", file="crates/core/src/lib.rs")
    assert versions(workspace) == {"core": "0.3.1"}


def test_shared_files_release_nothing(workspace: Repo) -> None:
    workspace.commit("fix: pin the toolchain", file=".github/workflows/ci.yml")
    workspace.commit("fix: update the lock", file="Cargo.lock")
    assert versions(workspace) == {}
    out = run_release(workspace.path, "next")
    assert (out.code, out.out) == (0, "")
    assert "no package has a change" in out.err


def test_each_kind_of_package_has_its_own_history(workspace: Repo) -> None:
    workspace.commit("feat: a client option", file="py/src/lens_py/__init__.py")
    workspace.commit("fix: the button", file="web/src/index.js")
    assert versions(workspace) == {"lens-py": "0.6.0", "@acme/web": "1.0.1"}


def test_a_commit_already_in_a_packages_tag_is_not_counted_again(workspace: Repo) -> None:
    # A feature touching core and left is merged; only core is released from the merge.
    workspace.git("checkout", "-q", "-b", "topic")
    workspace.commit("feat: shared tracing", file="crates/core/src/trace.rs")
    workspace.git("checkout", "-q", "main")
    workspace.commit("docs: readme", file="README.md")
    workspace.git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic")
    workspace.tag("core-v0.4.0")
    workspace.commit("fix(left): a leak", file="crates/left/src/lib.rs")
    # core: the feature is in core-v0.4.0 and nothing touched core since.
    assert versions(workspace) == {"left": "1.2.1"}
    plans = planned(workspace)
    assert plans["core"].previous is not None and plans["core"].previous.tag == "core-v0.4.0"
    assert plans["core"].changes == []


def test_breaking_change_in_a_stable_crate_is_major(workspace: Repo) -> None:
    workspace.commit("feat(app)!: new CLI", file="crates/app/src/main.rs")
    assert versions(workspace) == {"app": "3.0.0"}


def test_a_group_shares_one_version(workspace: Repo) -> None:
    workspace.write("release.toml", '[version]\ngroups = [{ packages = ["app", "lens-py"] }]\n')
    workspace.commit("chore: config")
    workspace.commit("feat(app): export", file="crates/app/src/main.rs")
    assert versions(workspace) == {"app": "2.1.0", "lens-py": "2.1.0"}


def test_prereleases_per_package(workspace: Repo) -> None:
    workspace.commit("fix(app): a crash", file="crates/app/src/main.rs")
    workspace.tag("app-v2.0.1-rc.1")
    assert versions(workspace, "rc") == {"app": "2.0.1-rc.2"}


def test_the_repositorys_tag_style_is_followed(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["a", "b"]\n')
    repo.write("a/Cargo.toml", crate("a", "0.7.12", {}))
    repo.write("b/Cargo.toml", crate("b", "1.40.0", {}))
    repo.commit("chore: start")
    repo.tag("a-0.7.12")  # tokio's style: no "v"
    repo.tag("b-1.40.0")
    repo.commit("feat: more", file="a/src/lib.rs")
    plans = planned(repo)
    assert plans["a"].tag == "a-0.8.0"
    assert plans["b"].previous is not None and plans["b"].previous.tag == "b-1.40.0"


def test_lockstep_when_the_versions_agree(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["a", "b"]\n')
    repo.write("a/Cargo.toml", crate("a", "1.0.0", {}))
    repo.write("b/Cargo.toml", crate("b", "1.0.0", {}))
    repo.commit("chore: start")
    assert plan_of(repo.path) is None


def test_a_cycle_is_named(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["a", "b"]\n')
    repo.write("a/Cargo.toml", crate("a", "1.0.0", {"b": "2"}).replace("../b", "../b"))
    repo.write("b/Cargo.toml", crate("b", "2.0.0", {"a": "1"}))
    repo.commit("chore: start")
    with pytest.raises(ConfigError, match="cycle"):
        plan_of(repo.path)


def test_release_next_prints_a_line_per_package_and_json_every_package(
    workspace: Repo,
) -> None:
    workspace.commit("feat(core): a new probe", file="crates/core/src/lib.rs")
    out = run_release(workspace.path, "next")
    assert out.code == 0, out.err
    assert out.out.splitlines() == ["core 0.4.0", "left 1.2.1", "right 1.0.1"]
    data = json.loads(run_release(workspace.path, "next", "--json").out)
    assert data["mode"] == "independent"
    by_name = {p["name"]: p for p in data["packages"]}
    assert set(by_name) == {"core", "left", "right", "app", "lens-py", "@acme/web"}
    core = by_name["core"]
    assert (core["current"], core["version"], core["tag"], core["bump"]) == (
        "0.3.0",
        "0.4.0",
        "core-v0.4.0",
        "minor",
    )
    assert [c["summary"] for c in core["commits"]] == ["feat(core): a new probe"]
    assert by_name["app"]["version"] is None


def test_shared_paths_are_configurable(workspace: Repo) -> None:
    workspace.commit("fix: relock", file="crates/core/Cargo.lock")
    assert versions(workspace) == {}  # a lock file releases nothing by default
    workspace.write("release.toml", "[version]\nshared_paths = []\n")
    workspace.commit("chore: config")
    assert versions(workspace) == {"core": "0.3.1"}


def test_a_folder_changed_and_changed_back_is_not_released(workspace: Repo) -> None:
    source = workspace.path / "crates/right/src/lib.rs"
    workspace.commit("feat(right): try a thing", file="crates/right/src/lib.rs")
    source.write_text("")
    workspace.commit("revert: the thing")
    assert versions(workspace) == {}


def test_a_manifest_ahead_of_its_tag_is_said(workspace: Repo) -> None:
    manifest = workspace.path / "crates/right/Cargo.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1.0.1"'))
    workspace.commit("fix(right): a leak", file="crates/right/src/lib.rs")
    right = planned(workspace)["right"]
    assert str(right.version) == "1.0.1"  # from the tag, 1.0.0: the tag is what counts
    assert "its manifest says 1.0.1, ahead of its last tag" in right.reasons


# Tags are listed without `--merged` and only each package's highest ones are asked whether
# HEAD reaches them: what HEAD does not reach must still be passed over.


def test_a_tag_reachable_only_through_a_merge_counts(workspace: Repo) -> None:
    workspace.git("checkout", "-q", "-b", "topic")
    workspace.commit("feat(core): a probe", file="crates/core/src/probe.rs")
    workspace.tag("core-v0.4.0")  # tagged on the branch, before it was merged
    workspace.git("checkout", "-q", "main")
    workspace.commit("docs: readme", file="README.md")
    workspace.git("merge", "-q", "--no-ff", "-m", "Merge topic", "topic")
    workspace.commit("fix(core): the probe's timeout", file="crates/core/src/probe.rs")
    core = planned(workspace)["core"]
    assert core.previous is not None and core.previous.tag == "core-v0.4.0"
    assert [c.summary for c in core.changes] == ["fix(core): the probe's timeout"]
    assert str(core.version) == "0.4.1"


def test_a_higher_tag_on_an_unmerged_branch_is_passed_over(workspace: Repo) -> None:
    workspace.git("checkout", "-q", "-b", "next")
    workspace.commit("feat(core)!: the next API", file="crates/core/src/lib.rs")
    workspace.tag("core-v0.9.0")
    workspace.tag("core-v1.0.0-rc.1")
    workspace.tag("app-v3.0.0")
    workspace.git("checkout", "-q", "main")
    workspace.commit("feat(core): a new probe", file="crates/core/src/lib.rs")
    plans = planned(workspace)
    assert plans["core"].previous is not None and plans["core"].previous.tag == "core-v0.3.0"
    assert plans["core"].latest == plans["core"].previous
    assert plans["app"].previous is not None and plans["app"].previous.tag == "app-v2.0.0"
    assert versions(workspace) == {"core": "0.4.0", "left": "1.2.1", "right": "1.0.1"}
    assert versions(workspace, "rc")["core"] == "0.4.0-rc.1"  # not counting on from rc.1


def test_a_prerelease_above_the_last_release_is_counted_on(workspace: Repo) -> None:
    workspace.commit("feat(core): a new probe", file="crates/core/src/lib.rs")
    workspace.tag("core-v0.4.0-rc.1")
    workspace.tag("core-v0.4.0-rc.2")
    workspace.git("checkout", "-q", "-b", "side")
    workspace.commit("fix(core): on the side", file="crates/core/src/side.rs")
    workspace.tag("core-v0.4.0-rc.3")  # higher, not reachable once main is checked out
    workspace.git("checkout", "-q", "main")
    workspace.commit("fix(core): off by one", file="crates/core/src/lib.rs")
    core = planned(workspace, "rc")["core"]
    assert core.latest is not None and core.latest.tag == "core-v0.4.0-rc.2"
    assert core.previous is not None and core.previous.tag == "core-v0.3.0"
    assert str(core.version) == "0.4.0-rc.3"


def test_a_package_never_released_counts_its_whole_history(workspace: Repo) -> None:
    workspace.write("crates/fresh/Cargo.toml", crate("fresh", "0.1.0", {}))
    workspace.commit("feat(fresh): a new crate", file="crates/fresh/src/lib.rs")
    workspace.commit("fix(fresh): its first bug", file="crates/fresh/src/lib.rs")
    fresh = planned(workspace)["fresh"]
    assert fresh.previous is None and fresh.latest is None
    assert "never released" in fresh.reasons
    assert [c.summary for c in fresh.changes] == [
        "fix(fresh): its first bug",
        "feat(fresh): a new crate",
    ]
    assert str(fresh.version) == "0.1.0"


def test_tags_that_only_look_like_versions_are_skipped(workspace: Repo) -> None:
    workspace.tag("core-v9.0.0.1")  # no semver: never the last release, however high
    workspace.tag("core-v09.0.0")
    workspace.commit("fix(core): off by one", file="crates/core/src/lib.rs")
    core = planned(workspace)["core"]
    assert core.previous is not None and core.previous.tag == "core-v0.3.0"
    assert str(core.version) == "0.3.1"


def test_the_highest_version_wins_over_the_newest_tag(workspace: Repo) -> None:
    workspace.commit("fix(left): a leak", file="crates/left/src/lib.rs")
    workspace.tag("left-v1.2.1")
    workspace.tag("left-v1.10.0")  # 1.10 > 1.2 as versions, before it as strings
    workspace.tag("left-v1.9.0")
    workspace.commit("fix(left): another leak", file="crates/left/src/lib.rs")
    left = planned(workspace)["left"]
    assert left.previous is not None and left.previous.tag == "left-v1.10.0"
    assert str(left.version) == "1.10.1"


def test_a_release_branch_merged_back_counts_only_what_the_last_tag_lacks(
    workspace: Repo,
) -> None:
    # tokio's shape: a fix tagged on its LTS branch, the branch merged back into master after
    # master's own higher release. The backport is new to master's line; the merge adds nothing.
    workspace.git("checkout", "-q", "-b", "core-0.3.x")
    workspace.commit("fix(core): a backported leak", file="crates/core/src/leak.rs")
    workspace.tag("core-v0.3.1")
    workspace.git("checkout", "-q", "main")
    workspace.commit("feat(core): a new probe", file="crates/core/src/lib.rs")
    workspace.tag("core-v0.4.0")
    workspace.git("merge", "-q", "--no-ff", "-m", "Merge 'core-0.3.x' into main", "core-0.3.x")
    workspace.commit("fix(core): after the merge", file="crates/core/src/lib.rs")
    core = planned(workspace)["core"]
    assert core.previous is not None and core.previous.tag == "core-v0.4.0"
    assert [c.summary for c in core.changes] == [
        "fix(core): after the merge",
        "fix(core): a backported leak",
    ]
    assert str(core.version) == "0.4.1"
    workspace.git("checkout", "-q", "core-0.3.x")  # on the LTS line, 0.4.0 is not reached
    core = planned(workspace)["core"]
    assert core.previous is not None and core.previous.tag == "core-v0.3.1"
    assert core.changes == []


def test_an_underscore_tag_style_is_recognised() -> None:
    from release.core.plan.package_tags import tag_style

    tags = ["v0.17.0", "alacritty_terminal_v0.26.0", "alacritty_terminal_v0.25.1"]
    assert tag_style(tags, ["alacritty", "alacritty_terminal"]) == "{name}_v{version}"

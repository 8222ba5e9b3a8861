"""Each package's own changelog in independent mode, from real git histories rendered by the
real git-cliff: a Cargo workspace (one crate nested in another's folder), a pyproject
package and a package.json package, each with its own tags."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.engine.context import ReleaseContext
from release.core.plan.package_context import released_contexts
from release.core.plan.release_mode import independent_plan
from release.core.project import changelog_file
from release.core.settings import config
from release.steps.changelog.root import RootChangelogStep, changelog_files, root_section
from release.steps.changelog.scope import path_filters
from release.steps.changelog.step import ChangelogStep, changelog_path, render_section
from release.tools.git import Git
from tests.conftest import Repo

PACKAGES = {  # manifest -> its text; the versions disagree: independent mode
    "crates/core/Cargo.toml": '[package]\nname = "core"\nversion = "0.3.0"\n',
    "crates/core/macros/Cargo.toml": '[package]\nname = "core-macros"\nversion = "0.1.0"\n',
    "crates/app/Cargo.toml": (
        '[package]\nname = "app"\nversion = "1.0.0"\n\n[dependencies]\n'
        'core = { path = "../core", version = "0.3" }\n'
    ),
    "py/pyproject.toml": '[project]\nname = "tool-py"\nversion = "0.5.0"\n',
    "web/package.json": json.dumps({"name": "web", "version": "2.0.0"}) + "\n",
}
MEMBERS = '[workspace]\nmembers = ["crates/core", "crates/core/macros", "crates/app"]\n'
FIRST_TAGS = ["core-v0.3.0", "core-macros-v0.1.0", "app-v1.0.0", "tool-py-v0.5.0", "web-v2.0.0"]


def make_workspace(repo: Repo, style: str = "{name}-v{version}") -> Repo:
    repo.write("Cargo.toml", MEMBERS)
    for path, text in PACKAGES.items():
        repo.write(path, text)
    repo.commit("chore: start")
    for tag in FIRST_TAGS:
        name, _, version = tag.rpartition("-v")
        repo.tag(style.format(name=name, version=version))
    return repo


@pytest.fixture
def workspace(repo: Repo) -> Repo:
    return make_workspace(repo)


def contexts(repo: Repo, pre: str | None = None) -> dict[str, ReleaseContext]:
    """The released packages' contexts, as the multi-package cut makes them."""
    git = Git.discover(repo.path)
    cfg = config.load(git.root)
    plans = independent_plan(git, cfg, pre)
    assert plans is not None, "the disagreeing versions make the repository independent"
    return released_contexts(git, cfg, plans)


def cut(repo: Repo, ctxs: list[ReleaseContext]) -> None:
    """What the cut does around the step: the changelogs committed, the tags made."""
    for ctx in ctxs:
        ChangelogStep().run(ctx)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore(release): " + ", ".join(c.tag for c in ctxs))
    for ctx in ctxs:
        repo.tag(ctx.tag)


def changes(repo: Repo) -> None:
    repo.commit("feat(core): parse faster", file="crates/core/src/lib.rs")
    repo.commit("fix(macros): span of the derive", file="crates/core/macros/src/lib.rs")
    repo.commit("fix(app): crash on start", file="crates/app/src/main.rs")
    repo.commit("feat(py): a wheel", file="py/tool_py/__init__.py")
    repo.commit("feat(web): a page", file="web/index.js")
    repo.commit("fix: lock file only", file="Cargo.lock")
    repo.commit("fix(core): its own lock file", file="crates/core/Cargo.lock")
    repo.commit("ci: a workflow", file=".github/workflows/ci.yml")
    repo.commit("perf: core and web at once", file="crates/core/src/fast.rs")
    repo.write("web/fast.js", "x\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-edit")


OWN = {  # package -> the entries its changelog must have; no other commit may be there
    "core": {"Parse faster", "Core and web at once"},
    "core-macros": {"Span of the derive"},
    "app": {"Crash on start"},
    "tool-py": {"A wheel"},
    "web": {"A page", "Core and web at once"},
}
EVERY = {entry for entries in OWN.values() for entry in entries} | {
    "Lock file only",
    "Its own lock file",
    "A workflow",
}


def entries(text: str) -> set[str]:
    found = {line.split(":** ")[-1].removeprefix("- ") for line in text.splitlines()}
    return found & EVERY


def test_each_package_changelog_tells_its_own_commits_only(workspace: Repo) -> None:
    changes(workspace)
    ctxs = contexts(workspace)
    assert set(ctxs) == set(OWN)
    for name, ctx in ctxs.items():
        ChangelogStep().run(ctx)
        path = changelog_path(ctx)
        assert path == workspace.path / ctx.package.root / "CHANGELOG.md"  # type: ignore[union-attr]
        text = path.read_text()
        assert entries(text) == OWN[name], name
        assert f"## [{ctx.tag}] - " in text
        # The cut's packages share one record of what changed: a failure restores them all.
        assert ctx.changes.changed_files[-1] == ctx.relpath(path)
        assert ctx.changes.created_files[-1] == ctx.relpath(path)
        assert ChangelogStep().done(ctx)
    assert len(set(next(iter(ctxs.values())).changes.changed_files)) == len(ctxs)
    assert not (workspace.path / "CHANGELOG.md").exists()  # root = false by default


def test_the_globs_follow_the_planners_attribution() -> None:
    folders = ["", "crates/core", "crates/core/macros", "crates/app", "web[1]"]
    shared = ["Cargo.lock", "*/Cargo.lock"]
    assert path_filters("crates/core", folders, shared) == (
        ["crates/core/**"],
        ["crates/core/macros/**", "Cargo.lock", "*/Cargo.lock"],
    )
    assert path_filters("", folders, shared) == (
        [],
        [
            "crates/app/**",
            "crates/core/**",
            "crates/core/macros/**",
            "web[[]1[]]/**",
            "Cargo.lock",
            "*/Cargo.lock",
        ],
    )


def test_a_package_at_the_root_has_everything_but_the_other_packages(repo: Repo) -> None:
    repo.write(
        "Cargo.toml",
        '[package]\nname = "tool"\nversion = "1.0.0"\n\n[workspace]\nmembers = ["crates/*"]\n',
    )
    repo.write("crates/lib/Cargo.toml", '[package]\nname = "lib"\nversion = "0.2.0"\n')
    repo.commit("chore: start")
    repo.tag("tool-v1.0.0")
    repo.tag("lib-v0.2.0")
    repo.commit("feat: a flag", file="src/main.rs")
    repo.commit("feat(lib): a parser", file="crates/lib/src/lib.rs")
    repo.commit("docs: the readme", file="README.md")
    ctxs = contexts(repo)
    for ctx in ctxs.values():
        ChangelogStep().run(ctx)
    tool = (repo.path / "CHANGELOG.md").read_text()
    lib = (repo.path / "crates/lib/CHANGELOG.md").read_text()
    assert "A flag" in tool and "The readme" in tool and "A parser" not in tool
    assert "A parser" in lib and "A flag" not in lib


def test_prereleases_merge_into_the_final_section(workspace: Repo) -> None:
    workspace.commit("feat(core): first idea", file="crates/core/src/a.rs")
    cut(workspace, [contexts(workspace, "rc")["core"]])
    assert workspace.git("tag", "-l", "core-v*") == "core-v0.3.0\ncore-v0.4.0-rc.1"
    workspace.commit("fix(core): second thought", file="crates/core/src/a.rs")
    workspace.commit("feat(web): elsewhere", file="web/a.js")
    ctx = contexts(workspace)["core"]
    assert ctx.tag == "core-v0.4.0"
    section = render_section(ctx)
    assert section.startswith("## [core-v0.4.0] - ")
    assert entries(section) == set()  # none of the shared fixtures' entries
    assert "First idea" in section and "Second thought" in section
    assert "Elsewhere" not in section and "rc.1" not in section
    ChangelogStep().run(ctx)
    text = changelog_path(ctx).read_text()
    assert text.index("## [core-v0.4.0] - ") < text.index("## [core-v0.4.0-rc.1] - ")


def test_a_second_prerelease_adds_only_its_own_section(workspace: Repo) -> None:
    workspace.commit("feat(core): first idea", file="crates/core/src/a.rs")
    cut(workspace, [contexts(workspace, "rc")["core"]])
    workspace.commit("fix(core): second thought", file="crates/core/src/a.rs")
    ctx = contexts(workspace, "rc")["core"]
    assert ctx.tag == "core-v0.4.0-rc.2"
    section = render_section(ctx)
    assert "Second thought" in section and "First idea" not in section
    cut(workspace, [ctx])
    text = changelog_path(ctx).read_text()
    assert text.count("First idea") == 1 and text.count("## [core-v0.4.0-rc.1]") == 1
    final = contexts(workspace)["core"]
    assert "First idea" in render_section(final) and "Second thought" in render_section(final)


def test_an_existing_changelog_keeps_its_bytes_below_the_new_section(workspace: Repo) -> None:
    old = (
        "# App history\r\n\r\nWritten by hand.\r\n\r\n"
        "## 1.0.0 (2025-01-01)\r\n\r\n-  First  release \t\r\n\r\n## 0.9.0\r\n- Beta\r\n"
    )
    path = workspace.path / "crates/app/CHANGELOG.md"
    path.write_bytes(old.encode())
    workspace.git("add", "-A")
    workspace.git("commit", "-q", "-m", "docs(app): history")
    workspace.commit("fix(app): crash on start", file="crates/app/src/main.rs")
    ctx = contexts(workspace)["app"]
    assert not ChangelogStep().done(ctx)
    section = render_section(ctx)
    ChangelogStep().run(ctx)
    at = old.index("## 1.0.0")
    # The file heads its releases with the bare version: so does the new section.
    assert "## [app-v1.0.1]" in section
    section = section.replace("## [app-v1.0.1]", "## [1.0.1]")
    assert path.read_bytes().decode() == old[:at] + section.strip("\n") + "\n\n" + old[at:]
    assert ctx.changes.created_files == []
    assert ChangelogStep().done(ctx)


def test_tokio_tags_keep_each_package_to_its_own(repo: Repo) -> None:
    """`tokio-0.1.0` beside `tokio-util-0.1.0`: tokio's pattern must not take tokio-util's."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["tokio", "tokio-util"]\n')
    repo.write("tokio/Cargo.toml", '[package]\nname = "tokio"\nversion = "1.0.0"\n')
    repo.write("tokio-util/Cargo.toml", '[package]\nname = "tokio-util"\nversion = "0.7.0"\n')
    repo.commit("chore: start")
    repo.tag("tokio-1.0.0")
    repo.tag("tokio-util-0.7.0")
    repo.commit("feat(util): codec", file="tokio-util/src/lib.rs")
    repo.tag("tokio-util-0.8.0")
    repo.commit("fix: runtime", file="tokio/src/lib.rs")
    ctxs = contexts(repo)
    assert set(ctxs) == {"tokio"}
    ctx = ctxs["tokio"]
    assert ctx.tag == "tokio-1.0.1"
    ChangelogStep().run(ctx)
    text = (repo.path / "tokio/CHANGELOG.md").read_text()
    assert "## [tokio-1.0.1] - " in text and "Runtime" in text and "Codec" not in text


def test_the_root_changelog_joins_the_released_sections(workspace: Repo) -> None:
    workspace.write("release.toml", "[changelog]\nroot = true\n")
    changes(workspace)
    ctxs = list(contexts(workspace).values())
    root = RootChangelogStep(ctxs)
    ctx = dataclasses.replace(ctxs[0], package=None)  # the cut's own steps run in this one
    assert root.applies(ctx) and not root.done(ctx)
    assert root.check(ctx) == []
    for c in ctxs:
        ChangelogStep().run(c)
    section = root_section(ctxs)
    assert section == "\n\n".join(render_section(c).strip("\n") for c in ctxs) + "\n"
    root.run(ctx)
    text = (workspace.path / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n") and section in text
    assert all(f"## [{c.tag}] - " in text for c in ctxs)
    assert root.done(ctx)
    assert "CHANGELOG.md" in ctx.changes.changed_files
    assert "CHANGELOG.md" in ctx.changes.created_files
    assert ctxs[0].changes is ctx.changes  # shared: the release commit takes every file
    assert changelog_files(ctxs) == [changelog_path(c) for c in ctxs] + [
        workspace.path / "CHANGELOG.md"
    ]


def test_the_root_step_is_skipped_unless_configured(workspace: Repo) -> None:
    changes(workspace)
    ctxs = list(contexts(workspace).values())
    assert not RootChangelogStep(ctxs).applies(ctxs[0])


def test_a_root_changelog_that_is_also_a_packages_is_named_at_its_line(repo: Repo) -> None:
    repo.write("release.toml", '[project]\nname = "tool"\n\n[changelog]\nroot = true\n')
    repo.write(
        "Cargo.toml",
        '[package]\nname = "tool"\nversion = "1.0.0"\n\n[workspace]\nmembers = ["crates/*"]\n',
    )
    repo.write("crates/lib/Cargo.toml", '[package]\nname = "lib"\nversion = "0.2.0"\n')
    repo.commit("feat: everything")
    ctxs = list(contexts(repo).values())
    problems = RootChangelogStep(ctxs).check(ctxs[0])
    assert len(problems) == 1
    assert problems[0].where == f"{repo.path / 'release.toml'}:5"
    assert "also the changelog of tool" in problems[0].message
    with pytest.raises(ConfigError):
        RootChangelogStep(ctxs).run(ctxs[0])


def test_package_path_is_a_file_in_the_package(workspace: Repo) -> None:
    workspace.write("release.toml", '[changelog]\npackage_path = "docs/CHANGES.md"\n')
    workspace.commit("fix(app): crash on start", file="crates/app/src/main.rs")
    ctx = contexts(workspace)["app"]
    ChangelogStep().run(ctx)
    assert "Crash on start" in (workspace.path / "crates/app/docs/CHANGES.md").read_text()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[changelog]\npath = "C.md"\npackage_path = "../C.md"\n', 3, "inside the package"),
        ('[changelog]\npackage_path = "/tmp/C.md"\n', 2, "inside the package"),
        ('[changelog]\n\nroot = "yes"\n', 3, "boolean"),
    ],
)
def test_config_errors_name_the_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    (tmp_path / "release.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        config.load(tmp_path)
    assert caught.value.where == f"{tmp_path / 'release.toml'}:{line}"
    assert words in caught.value.message


def test_a_release_without_a_tag_still_stays_below_the_new_section(repo: Repo) -> None:
    """tokio-macros: its manifest and changelog say 2.7.2, its newest tag is 2.7.1."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["macros", "core"]\n')
    repo.write("core/Cargo.toml", '[package]\nname = "core"\nversion = "1.0.0"\n')
    repo.write("macros/Cargo.toml", '[package]\nname = "macros"\nversion = "2.7.1"\n')
    repo.commit("chore: start")
    repo.tag("macros-2.7.1")
    repo.tag("core-1.0.0")
    old = "# 2.7.2 (July 29th, 2026)\n\n- upgrade syn\n\n# 2.7.1 (July 17th, 2026)\n\n- docs\n"
    repo.write("macros/CHANGELOG.md", old)
    repo.write("macros/Cargo.toml", '[package]\nname = "macros"\nversion = "2.7.2"\n')
    repo.commit("chore(macros): 2.7.2, released without a tag")
    repo.commit("feat(macros): a new attribute", file="macros/src/lib.rs")
    ctx = contexts(repo)["macros"]
    assert ctx.tag == "macros-2.8.0"
    section = render_section(ctx)
    ChangelogStep().run(ctx)
    newest = changelog_file.newest_release(old, ["2.7.2"])
    assert newest is not None and newest.level == "#"  # tokio's headings: the section's too
    placed = changelog_file.same_level(section.strip("\n") + "\n\n", newest)
    assert placed.startswith("# [macros-2.8.0]")
    placed = placed.replace("# [macros-2.8.0]", "# [2.8.0]", 1)  # its headings name versions
    assert (repo.path / "macros/CHANGELOG.md").read_text() == placed + old

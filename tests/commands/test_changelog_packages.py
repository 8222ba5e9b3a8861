"""`release changelog` in independent mode: each package's whole changelog beside its
manifest, from real histories and the real git-cliff."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release.base.errors import BadInput
from release.commands.changelog import write_changelog
from release.steps.changelog.scope import path_filters
from release.tools import cliff
from tests.conftest import Repo, run_release
from tests.steps.test_changelog_packages import contexts, cut, make_workspace

DAY = 86400


@pytest.fixture
def workspace(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Three releases of core, one of web, dated a day apart from 2020-01-01: core's second
    tag is on a commit that touched only web (git-cliff alone would lose it)."""
    clock = iter(range(1577872800, 1577872800 + 100 * DAY, DAY))

    def tick() -> None:
        stamp = f"@{next(clock)} +0000"
        monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
        monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)

    tick()
    make_workspace(repo)
    for message, file in [
        ("feat(core): tokens", "crates/core/src/lib.rs"),
        ("feat(web): a page", "web/index.js"),
        ("fix(macros): span", "crates/core/macros/src/lib.rs"),
    ]:
        tick()
        repo.commit(message, file=file)
    tick()
    repo.tag("core-v0.3.1")  # on web's commit
    repo.tag("web-v2.1.0")
    for message, file in [
        ("fix(core): overflow", "crates/core/src/lib.rs"),
        ("fix: lock only", "Cargo.lock"),
    ]:
        tick()
        repo.commit(message, file=file)
    tick()
    cut(repo, [contexts(repo, "rc")["core"]])  # core-v0.3.2-rc.1, a real release commit
    tick()
    repo.commit("perf(core): faster", file="crates/core/src/lib.rs")
    tick()
    cut(repo, [contexts(repo)["core"]])
    tick()
    repo.commit("feat(core): unreleased idea", file="crates/core/src/new.rs")
    for changelog in repo.path.glob("**/CHANGELOG.md"):
        changelog.unlink()  # what the cuts wrote; `release changelog` writes it all again
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: drop the changelogs")
    return repo


def test_each_package_changelog_is_written_beside_its_manifest(workspace: Repo) -> None:
    result = run_release(workspace.path, "changelog")
    assert result.code == 0, result.err
    assert result.out == (
        "wrote crates/core/CHANGELOG.md\nwrote crates/core/macros/CHANGELOG.md\n"
        "wrote web/CHANGELOG.md\n"
    )  # app and tool-py have no commit of their own: no file
    core = (workspace.path / "crates/core/CHANGELOG.md").read_text()
    assert core.startswith("# Changelog\n")
    headings = [line for line in core.splitlines() if line.startswith("## ")]
    assert headings == [
        "## [Unreleased]",
        "## [core-v0.3.2] - 2020-01-10",
        "## [core-v0.3.2-rc.1] - 2020-01-08",
        "## [core-v0.3.1] - 2020-01-04",  # the date of the web commit it tags
        "## [core-v0.3.0] - 2020-01-01",  # its commits are chores: empty, as git-cliff has it
    ]
    assert "Unreleased idea" in core and "Faster" in core and "Overflow" in core
    assert core.index("Tokens") > core.index("## [core-v0.3.1]")
    for other in ("A page", "Span", "Lock only"):
        assert other not in core
    macros = (workspace.path / "crates/core/macros/CHANGELOG.md").read_text()
    assert "Span" in macros and "Tokens" not in macros and "## [Unreleased]" in macros
    web = (workspace.path / "web/CHANGELOG.md").read_text()
    assert "## [web-v2.1.0] - 2020-01-04" in web and "A page" in web and "Tokens" not in web
    assert not (workspace.path / "CHANGELOG.md").exists()


def test_a_package_tagged_on_its_own_commits_reads_as_git_cliff_writes_it(
    workspace: Repo,
) -> None:
    """Where git-cliff's path filter keeps every tag, the releases cut here are its own."""
    workspace.git("tag", "-d", "core-v0.3.1")
    write_changelog(workspace.path, unreleased=False, output=None, package="core")
    folders = ["crates/core", "crates/core/macros", "crates/app", "py", "web"]
    include, exclude = path_filters("crates/core", folders, ["Cargo.lock", "*/Cargo.lock"])
    args = ["--config", str(cliff.default_config()), "--tag-pattern", r"^core\-v[0-9]"]
    args += cliff.paths_args(include, exclude)
    own = subprocess.run(
        [cliff.binary(), *args], cwd=workspace.path, capture_output=True, text=True, check=True
    ).stdout
    assert (workspace.path / "crates/core/CHANGELOG.md").read_text() == own


def test_package_selects_one(workspace: Repo, tmp_path: Path) -> None:
    result = run_release(workspace.path, "changelog", "--package", "web")
    assert (result.code, result.out) == (0, "wrote web/CHANGELOG.md\n"), result.err
    assert not (workspace.path / "crates/core/CHANGELOG.md").exists()

    unreleased = run_release(workspace.path, "changelog", "--package", "core", "--unreleased")
    assert unreleased.code == 0, unreleased.err
    assert unreleased.out.startswith("## [Unreleased]") and "Unreleased idea" in unreleased.out
    assert "Faster" not in unreleased.out and "Span" not in unreleased.out

    out = tmp_path / "core.md"
    written = run_release(workspace.path, "changelog", "--package", "core", "-o", str(out))
    assert (written.code, written.out) == (0, ""), written.err
    assert "## [core-v0.3.1]" in out.read_text() and "A page" not in out.read_text()
    assert not (workspace.path / "crates/core/CHANGELOG.md").exists()


def test_unreleased_shows_each_package_with_changes(workspace: Repo) -> None:
    result = write_changelog(workspace.path, unreleased=True, output=None)
    assert result.text.startswith("# core\n\n## [Unreleased]\n")
    assert "# core-macros\n\n## [Unreleased]\n" in result.text and "Span" in result.text
    assert "# web" not in result.text and "# app" not in result.text  # nothing new


def test_the_root_changelog_has_every_package_by_date(workspace: Repo) -> None:
    workspace.write("release.toml", "[changelog]\nroot = true\n")
    result = write_changelog(workspace.path, unreleased=False, output=None)
    assert result.written[-1] == "CHANGELOG.md"
    root = (workspace.path / "CHANGELOG.md").read_text()
    headings = [line for line in root.splitlines() if line.startswith("## ")]
    assert headings == [
        "## [Unreleased]",
        "## [core-v0.3.2] - 2020-01-10",
        "## [core-v0.3.2-rc.1] - 2020-01-08",
        "## [core-v0.3.1] - 2020-01-04",  # one commit: in the order of the packages
        "## [web-v2.1.0] - 2020-01-04",
        "## [core-v0.3.0] - 2020-01-01",
        "## [core-macros-v0.1.0] - 2020-01-01",
        "## [web-v2.0.0] - 2020-01-01",
    ]
    assert "Span" in root.split("## [core-v0.3.2]")[0]  # both packages' unreleased commits


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"package": "nope"}, "'nope' is not a package"),
        ({"output": Path("x.md")}, "--output writes one package's changelog"),
    ],
)
def test_what_cannot_be_done_says_why(workspace: Repo, args: dict[str, object], words: str) -> None:
    options: dict[str, object] = {"unreleased": False, "output": None, **args}
    with pytest.raises(BadInput) as caught:
        write_changelog(workspace.path, **options)  # type: ignore[arg-type]
    assert words in caught.value.message


def test_package_in_lockstep_is_bad_input(repo: Repo) -> None:
    repo.commit("feat: one")
    result = run_release(repo.path, "changelog", "--package", "x")
    assert result.code == 2
    assert "lockstep" in result.err and "--package" in result.err


def test_tokio_style_tags_stay_with_their_package(repo: Repo) -> None:
    """`core-0.3.0` beside `core-macros-0.1.0`: core's releases are not core-macros'."""
    make_workspace(repo, style="{name}-{version}")
    repo.commit("feat(macros): derive", file="crates/core/macros/src/lib.rs")
    repo.tag("core-macros-0.2.0")
    repo.commit("feat(core): tokens", file="crates/core/src/lib.rs")
    repo.tag("core-0.4.0")
    repo.commit("feat(py): a wheel", file="py/tool_py/cli.py")
    repo.tag("tool-py-0.6.0")
    result = write_changelog(repo.path, unreleased=False, output=None)
    assert result.written == [
        "crates/core/CHANGELOG.md",
        "crates/core/macros/CHANGELOG.md",
        "py/CHANGELOG.md",
    ]
    core = (repo.path / "crates/core/CHANGELOG.md").read_text()
    assert "## [core-0.4.0] - " in core and "Tokens" in core
    assert "macros" not in core and "Derive" not in core
    macros = (repo.path / "crates/core/macros/CHANGELOG.md").read_text()
    assert "## [core-macros-0.2.0] - " in macros and "Tokens" not in macros
    python = (repo.path / "py/CHANGELOG.md").read_text()
    assert "## [tool-py-0.6.0] - " in python and "A wheel" in python


def test_a_root_changelog_that_is_a_packages_too_is_named_at_its_line(repo: Repo) -> None:
    repo.write("release.toml", "[changelog]\nroot = true\n")
    repo.write(
        "Cargo.toml",
        '[package]\nname = "tool"\nversion = "1.0.0"\n\n[workspace]\nmembers = ["crates/*"]\n',
    )
    repo.write("crates/lib/Cargo.toml", '[package]\nname = "lib"\nversion = "0.2.0"\n')
    repo.commit("feat: everything")
    result = run_release(repo.path, "changelog")
    assert result.code == 2
    assert f"{repo.path / 'release.toml'}:2: " in result.err and "changelog of tool" in result.err

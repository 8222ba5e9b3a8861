"""`release init` on Python projects shaped like those commitizen and python-semantic-release
release: a release commit that names the release before it, a uv.lock that states the
project's own version, a reStructuredText changelog whose titles carry labels."""

from __future__ import annotations

from release.commands.init import init
from release.core.plan.planning import plan
from release.core.project import uv_lock
from release.core.settings import config
from release.steps.version.commit_tag import commit_message
from tests.conftest import Repo

LOCK = """version = 1
requires-python = ">=3.10"

[[package]]
name = "colorama"
version = "{version}"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "cz-like"
version = "{version}"
source = {{ editable = "." }}
dependencies = [
    {{ name = "colorama" }},
]

[package.metadata]
requires-dist = [{{ name = "colorama" }}]
"""


def _release(repo: Repo, before: str | None, version: str) -> None:
    repo.write("pyproject.toml", f'[project]\nname = "cz_like"\nversion = "{version}"\n')
    repo.write("cz_like/__version__.py", f'__version__ = "{version}"\n')
    repo.write("uv.lock", LOCK.format(version=version))
    old = (repo.path / "CHANGELOG.md").read_text() if before else ""
    repo.write("CHANGELOG.md", f"## v{version} (2026-01-01)\n\n### Feat\n\n- x\n\n" + old)
    repo.git("add", "-A")
    message = f"bump: version {before} → {version}" if before else "chore: start"
    repo.git("commit", "-q", "-m", message)
    if before:
        repo.tag(f"v{version}")


def test_a_commitizen_project_with_a_uv_lock(repo: Repo) -> None:
    _release(repo, None, "1.0.0")
    for before, version in (("1.0.0", "1.1.0"), ("1.1.0", "1.2.0"), ("1.2.0", "1.3.0")):
        repo.commit("feat: a feature", file=f"cz_like/{version}.py")
        _release(repo, before, version)
    repo.commit("feat: another", file="cz_like/more.py")
    result = init(repo.path)
    cfg = config.load(repo.path)
    # The release before is a field of the message, not the text of the last one.
    assert cfg.git.commit_message == "bump: version {previous_version} → {version}"
    (summary,) = [k for k in result.kept if k.startswith("replayed")]
    assert "files 3/3" in summary  # the lock's own entry is bumped with pyproject.toml
    ctx = plan(repo.path)
    assert commit_message(ctx) == "bump: version 1.3.0 → 1.4.0"
    lock = (repo.path / "uv.lock").read_text()
    bumped = uv_lock.bumped(lock, {"cz_like"}, "1.4.0")
    assert uv_lock.local_versions(bumped) == {"cz-like": "1.4.0"}
    assert 'name = "colorama"\nversion = "1.3.0"' in bumped  # a dependency keeps its own


def test_a_uv_workspace_member_is_locked_at_the_workspace_root(repo: Repo) -> None:
    member = repo.write("packages/a/pyproject.toml", '[project]\nname = "a"\nversion = "1.0.0"\n')
    repo.write("uv.lock", LOCK.format(version="1.0.0"))
    assert uv_lock.lock_for(member, repo.path) == repo.path / "uv.lock"
    assert uv_lock.lock_for(repo.path / "pyproject.toml", repo.path / "packages") is None


def test_an_unknown_field_in_the_commit_message_is_a_config_error(repo: Repo) -> None:
    repo.write("release-toolkit.toml", '[git]\ncommit_message = "bump {old} → {version}"\n')
    try:
        config.load(repo.path)
    except Exception as exc:
        text = f"{exc} {getattr(exc, 'where', '')}"
        assert "unknown field {old}" in text and "release-toolkit.toml:2" in text
    else:
        raise AssertionError("the config was accepted")


def test_a_changelog_the_releases_no_longer_write_is_left_alone(repo: Repo) -> None:
    # commitizen: CHANGELOG.md stops at an old release; its release commits bump versions only.
    repo.write("CHANGELOG.md", "## v0.9.0 (2025-01-01)\n\n- old\n")
    repo.write("pyproject.toml", '[project]\nname = "x"\nversion = "0.9.0"\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: start")
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        repo.commit("feat: a feature", file=f"x/{version}.py")
        repo.write("pyproject.toml", f'[project]\nname = "x"\nversion = "{version}"\n')
        repo.git("commit", "-q", "-am", f"release {version}")
        repo.tag(f"v{version}")
    result = init(repo.path)
    assert config.load(repo.path).changelog.enabled is False
    (summary,) = [k for k in result.kept if k.startswith("replayed")]
    assert "files 3/3" in summary  # no section written where the project wrote none
    assert (repo.path / "CHANGELOG.md").read_text() == "## v0.9.0 (2025-01-01)\n\n- old\n"


def test_a_lock_file_is_never_learned_as_a_version_file(repo: Repo) -> None:
    # poetry: a release commit that also updates poetry.lock, where a dependency (here
    # poetry-core) happens to be at the released version.
    repo.write("pyproject.toml", '[project]\nname = "p"\nversion = "1.9.0"\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: start")
    for version in ("2.0.0", "2.1.0", "2.2.0"):
        repo.commit("feat: a feature", file=f"p/{version}.py")
        repo.write("pyproject.toml", f'[project]\nname = "p"\nversion = "{version}"\n')
        lock = f'[[package]]\nname = "poetry-core"\nversion = "{version}"\n'
        repo.write("poetry.lock", lock)
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", f"release: bump version to {version}")
        repo.tag(version)
    init(repo.path)
    cfg = config.load(repo.path)
    assert [e.path for e in cfg.manifests.extra] == []
    assert cfg.version.tag_format == "{version}"


def test_a_changelog_one_release_in_ten_wrote_is_kept_by_hand(repo: Repo) -> None:
    # flask: sections are written with the work ("Unreleased"), the release commit dates one;
    # once, a release's own commit also added its section.
    repo.write("CHANGES.rst", "Version 0.9.0\n-------------\n\nReleased 2025-01-01\n")
    repo.write("pyproject.toml", '[project]\nname = "x"\nversion = "0.9.0"\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: start")
    for index, version in enumerate(("1.0.0", "1.0.1", "1.0.2", "1.0.3")):
        old = (repo.path / "CHANGES.rst").read_text()
        head = f"Version {version}\n-------------\n\n"
        if index:  # the section comes with the work
            repo.write("CHANGES.rst", head + "Unreleased\n\n" + old)
        repo.commit("fix: a fix", file=f"x/{version}.py")
        text = (repo.path / "CHANGES.rst").read_text().replace("Unreleased", "Released 2026", 1)
        repo.write("CHANGES.rst", text if index else head + "Released 2026\n\n" + old)
        repo.write("pyproject.toml", f'[project]\nname = "x"\nversion = "{version}"\n')
        repo.git("commit", "-q", "-am", f"release version {version}")
        repo.tag(version)
    init(repo.path)
    assert config.load(repo.path).changelog.enabled is False

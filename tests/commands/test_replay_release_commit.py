"""A tag put after its release commit (polars' `py-1.43.0` on a fix committed after "Python
Polars 1.43.0", pyo3's `v0.23.0` on a docs commit): the replay, and init, read the release
commit, the nearest one before the tag that bumped the version to the tagged one."""

from __future__ import annotations

from release.commands.replay import replay
from tests.conftest import Repo

PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n'


def _release(repo: Repo, version: str, *, tag_later: bool) -> str:
    repo.write("pyproject.toml", PYPROJECT.format(version=version))
    old = (repo.path / "CHANGELOG.md").read_text()
    head, _, rest = old.partition("\n\n")
    repo.write("CHANGELOG.md", f"{head}\n\n## [{version}] - 2026-01-01\n\n- x\n\n{rest}")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"Demo {version}")
    release = repo.git("rev-parse", "HEAD")
    if tag_later:  # a fix on the release branch, and the tag on it
        repo.commit("fix: a late fix", file="demo/late.py")
    repo.tag(f"v{version}")
    return release


def test_the_release_commit_before_a_tag_is_the_one_replayed(repo: Repo) -> None:
    repo.write("release-toolkit.toml", '[manifests]\npython = ["pyproject.toml"]\n')
    repo.write("CHANGELOG.md", "# Changelog\n\n")
    repo.commit("chore: start")
    _release(repo, "1.0.0", tag_later=False)
    repo.commit("feat: a feature", file="demo/a.py")
    release = _release(repo, "1.1.0", tag_later=True)
    replayed = replay(repo.path, last=1)
    (one,) = replayed.releases
    assert one.commit == release and one.theirs_tags == {"": "v1.1.0"}
    assert one.theirs_files == {"pyproject.toml", "CHANGELOG.md"}
    assert one.error is None and one.differences == [], one.as_dict()


def test_a_tag_with_no_bump_before_it_stays_where_it_is(repo: Repo) -> None:
    """A version taken from the tag alone (setuptools-scm): no commit bumps it."""
    repo.write("release-toolkit.toml", "[manifests]\npython = []\n")
    repo.commit("chore: start")
    repo.commit("feat: a feature", file="demo/a.py")
    repo.tag("v1.0.0")
    repo.commit("fix: a fix", file="demo/b.py")
    tagged = repo.commit("docs: notes", file="docs/a.md")
    repo.tag("v1.0.1")
    (one,) = replay(repo.path, last=1).releases
    assert one.commit == tagged

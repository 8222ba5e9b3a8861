"""A tag put after its release commit (polars' `py-1.43.0` on a fix committed after "Python
Polars 1.43.0", pyo3's `v0.23.0` on a docs commit): the replay, and init, read the release
commit, the nearest one before the tag that bumped the version to the tagged one."""

from __future__ import annotations

from release.commands.replay import replay
from release.commands.replay_scratch import carries_version
from release.tools.git import Git
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


CRATE = '[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'


def _crate(repo: Repo, name: str, version: str, *, log: bool) -> None:
    repo.write(f"crates/{name}/Cargo.toml", CRATE.format(name=name, version=version))
    if log:
        path = repo.path / f"crates/{name}/CHANGELOG.md"
        old = path.read_text() if path.exists() else "# Changelog\n\n"
        head, _, rest = old.partition("\n\n")
        repo.write(f"crates/{name}/CHANGELOG.md", f"{head}\n\n## [{version}]\n\n- x\n\n{rest}")


def test_the_files_of_a_prerelease_tagged_with_a_release_are_its_own(repo: Repo) -> None:
    """tauri: `tauri-driver-v0.1.5` tagged with `tauri-v2.0.0-rc.6` and the other release
    candidates; the replay plans the final release, and the candidates' files are theirs."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    repo.write("LICENSE", "MIT\n")
    repo.commit("chore: start")
    _crate(repo, "driver", "0.1.4", log=True)
    _crate(repo, "core", "1.9.0", log=True)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore(release): driver-v0.1.4, core-v1.9.0")
    repo.tag("driver-v0.1.4")
    repo.tag("core-v1.9.0")
    repo.commit("fix(driver): a fix", file="crates/driver/src/main.rs")
    repo.commit("feat(core)!: a new API", file="crates/core/src/lib.rs")
    _crate(repo, "driver", "0.1.5", log=True)
    _crate(repo, "core", "2.0.0-rc.1", log=True)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore(release): driver-v0.1.5, core-v2.0.0-rc.1")
    repo.tag("driver-v0.1.5")
    repo.tag("core-v2.0.0-rc.1")
    releases = replay(repo.path, last=2).releases
    (one,) = [r for r in releases if r.theirs_tags == {"driver": "driver-v0.1.5"}]
    kinds = {d.theirs: (d.kind, d.why) for d in one.differences if d.aspect == "files"}
    assert set(kinds) == {"crates/core/Cargo.toml", "crates/core/CHANGELOG.md"}, kinds
    assert all(kind == "policy" and "prerelease" in why for kind, why in kinds.values())
    assert one.agrees("tag") and one.ours_versions["driver"] == "0.1.5", one.as_dict()
    # `core` went out as a release candidate: the final 2.0.0 its commits call for is policy
    assert all(d.kind == "policy" for d in one.differences), one.as_dict()


def test_a_package_released_without_a_tag_is_its_own(repo: Repo) -> None:
    """release-plz 0.3.154: `release_plz_core` 0.36.10 published in the release commit with
    no tag of its own; its changelog is its release's, not one release-toolkit missed."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    repo.write("LICENSE", "MIT\n")
    repo.commit("chore: start")
    _crate(repo, "cli", "0.3.153", log=True)
    _crate(repo, "core", "0.36.9", log=True)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: release")
    repo.tag("cli-v0.3.153")
    repo.tag("core-v0.36.9")
    repo.commit("fix(cli): a fix", file="crates/cli/src/main.rs")
    repo.commit("fix(core): a fix", file="crates/core/src/lib.rs")
    _crate(repo, "cli", "0.3.154", log=True)
    _crate(repo, "core", "0.36.10", log=True)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: release")
    repo.tag("cli-v0.3.154")  # and none for core 0.36.10
    releases = replay(repo.path, last=2).releases
    (one,) = [r for r in releases if r.theirs_tags == {"cli": "cli-v0.3.154"}]
    files = {d.theirs: d for d in one.differences if d.aspect == "files"}
    assert set(files) == {"crates/core/Cargo.toml", "crates/core/CHANGELOG.md"}, files
    assert all(d.kind == "policy" and "without a tag" in d.why for d in files.values())


def test_a_release_after_its_candidate_is_read_on_its_own_commit(repo: Repo) -> None:
    """git-cliff 2.10.0: its release commit bumps `2.10.0-rc.0` to `2.10.0`, a bump like any
    other; an earlier commit naming 2.10.0 (a blog post) is not the release."""
    repo.write("release-toolkit.toml", '[manifests]\npython = ["pyproject.toml"]\n')
    repo.write("CHANGELOG.md", "# Changelog\n\n")
    repo.commit("chore: start")
    _release(repo, "1.9.0", tag_later=False)
    repo.write("pyproject.toml", PYPROJECT.format(version="2.0.0-rc.0"))
    repo.commit("chore: a release candidate")
    repo.write("docs/news.md", "version: 2.0.0\n")
    repo.commit("docs: announce 2.0.0")
    repo.write("docs/news.md", "version: 2.0.0\n")
    release = _release(repo, "2.0.0", tag_later=False)
    (one,) = replay(repo.path, last=1).releases
    assert one.commit == release
    bumped = carries_version(Git(repo.path), release, {"pyproject.toml"}, {"2.0.0"})
    assert bumped == {"pyproject.toml"}  # 2.0.0-rc.0 -> 2.0.0

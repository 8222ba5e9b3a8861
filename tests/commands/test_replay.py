"""`release replay` on a history with a known answer: a release that agrees, one whose commits
are not conventional, one of changes that call for none, one whose version was chosen by
hand; the user's repository is left exactly as it was."""

from __future__ import annotations

import json

from release.commands.replay import replay
from tests.conftest import Repo, run_release

PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n'


def _release(repo: Repo, version: str, entries: str) -> None:
    """The project's own release commit: the version bumped, a section above the last."""
    repo.write("pyproject.toml", PYPROJECT.format(version=version))
    changelog = repo.path / "CHANGELOG.md"
    old = changelog.read_text() if changelog.exists() else "# Changelog\n\n"
    header, _, rest = old.partition("\n\n")
    section = f"## [{version}] - 2026-01-01\n\n{entries}\n\n"
    repo.write("CHANGELOG.md", f"{header}\n\n{section}{rest}")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"chore(release): v{version}")
    repo.tag(f"v{version}")


def history(repo: Repo) -> None:
    repo.write("demo/__init__.py", "")
    _release(repo, "1.0.0", "- first")
    repo.commit("feat: a feature", file="demo/a.py")
    _release(repo, "1.1.0", "- a feature")  # agrees
    repo.commit("Tweak the parser", file="demo/b.py")
    _release(repo, "1.2.0", "- parser")  # not conventional
    repo.commit("docs: explain", file="README.md")
    _release(repo, "1.2.1", "- docs")  # chore-only release: policy
    repo.commit("fix: a fix", file="demo/c.py")
    _release(repo, "1.5.0", "- a fix")  # chosen by hand: policy


def test_replay_classifies_each_release(repo: Repo) -> None:
    history(repo)
    before = repo.snapshot()
    result = replay(repo.path, last=4)
    assert repo.snapshot() == before
    assert len(repo.git("worktree", "list").splitlines()) == 1  # the scratch tree is gone
    by_tag = {r.theirs_tags[""]: r for r in result.releases}
    assert list(by_tag) == ["v1.1.0", "v1.2.0", "v1.2.1", "v1.5.0"]
    agreed = by_tag["v1.1.0"]
    assert agreed.differences == [] and agreed.error is None
    assert agreed.ours_files == agreed.theirs_files == {"pyproject.toml", "CHANGELOG.md"}
    assert agreed.ours_changelog == agreed.theirs_changelog
    kinds = {tag: [(d.aspect, d.kind) for d in r.differences] for tag, r in by_tag.items()}
    assert kinds["v1.2.0"] == [("version", "non-conventional")]
    assert kinds["v1.2.1"] == [("version", "policy")]
    assert "released anyway" in by_tag["v1.2.1"].differences[0].why
    assert kinds["v1.5.0"] == [("version", "policy")]
    assert "chosen by hand" in by_tag["v1.5.0"].differences[0].why
    # Whatever the version, the files and the changelog are judged at the project's version.
    assert all(r.agrees("files") and r.agrees("changelog") for r in result.releases)


def test_replay_finds_a_missed_manifest_and_a_tag_format(repo: Repo) -> None:
    """A version file the config does not name is a defect; so is a tag of another format."""
    repo.write("release.toml", '[manifests]\npython = ["pyproject.toml"]\nversion_files = []\n')
    repo.write("VERSION.txt", "0.9.0\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: config")
    _release(repo, "1.0.0", "- first")
    repo.commit("fix: a fix", file="demo/a.py")
    repo.write("VERSION.txt", "1.0.1\n")
    _release(repo, "1.0.1", "- a fix")
    result = run_release(repo.path, "replay", "--last", "1", "--json")
    assert result.code == 0, result.err
    envelope = json.loads(result.out)
    assert envelope["command"] == "replay"
    (release,) = envelope["releases"]
    assert release["agrees"] == {"version": True, "tag": True, "files": False, "changelog": True}
    (difference,) = release["differences"]
    assert difference["theirs"] == "VERSION.txt" and difference["kind"] == "defect"
    table = run_release(repo.path, "replay", "--last", "1")
    assert "v1.0.1" in table.out and "defect" in table.out


def test_replay_refuses_a_bad_count(repo: Repo) -> None:
    repo.commit("feat: x")
    result = run_release(repo.path, "replay", "--last", "0")
    assert result.code == 2 and "--last" in result.err


def test_a_manifest_added_later_is_not_asked_of_older_releases(repo: Repo) -> None:
    """The config names today's manifests; a release from before one existed bumped none."""
    repo.write(
        "release.toml",
        '[version]\nmode = "lockstep"\n\n'
        '[manifests]\npython = ["pyproject.toml", "sub/pyproject.toml"]\n',
    )
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: config")
    _release(repo, "1.0.0", "- first")
    repo.commit("fix: a fix", file="demo/a.py")
    _release(repo, "1.0.1", "- a fix")
    repo.write("sub/pyproject.toml", '[project]\nname = "sub"\nversion = "1.0.1"\n')
    repo.commit("feat: a sub-package", file="sub/a.py")
    result = replay(repo.path, last=1)
    (older,) = result.releases
    assert older.theirs_tags == {"": "v1.0.1"}
    assert older.error is None and older.agrees("files"), older.as_dict()


def test_a_changelog_that_cannot_be_written_leaves_the_bump_to_compare(repo: Repo) -> None:
    """git-cliff's own cliff.toml runs `typos`, not installed here: the changelog step fails,
    the bump is still compared; nothing stops."""
    repo.write(
        "cliff.toml",
        '[git]\ncommit_preprocessors = [{ pattern = ".*", replace_command = '
        '"no-such-command-for-replay" }]\n',
    )
    repo.write("VERSION.txt", "0.9.0\n")
    _release(repo, "1.0.0", "- first")
    repo.commit("fix: a fix", file="demo/a.py")
    _release(repo, "1.0.1", "- a fix")
    (release,) = replay(repo.path, last=1).releases
    assert release.error is None and set(release.failed) == {"changelog"}
    assert "pyproject.toml" in release.ours_files and release.agrees("files")
    assert not release.agrees("changelog")
    table = run_release(repo.path, "replay", "--last", "1")
    assert table.code == 0 and "changelog failed" in table.out

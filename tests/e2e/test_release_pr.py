"""The release pull request end to end, lockstep: `release pr` against the loopback GitHub
with a bare remote opens the pull request, updates it in place after a `feat!:` commit,
refuses to discard a commit pushed to its branch by hand; merged as GitHub's merge button
does, `release cut --yes` on the merged commit tags it (no second commit) and publishes to
PyPI and GitHub once, with the maintainer's edited changelog as the notes; then `release
pr` opens nothing. A kill during the release job, and `release resume`."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer

from ..conftest import Repo, git, run_release
from ..steps.test_wheels import make

BRANCH = "release-toolkit/next"
_names = itertools.count()


@dataclass
class Project:
    repo: Repo
    remote: Path
    name: str
    env: dict[str, str]
    github: GithubApi
    pypi: PypiServer

    def pr(self) -> dict[str, object]:
        done = run_release(self.repo.path, "pr", "--json", env=self.env)
        assert done.code == 0, done.err
        result: dict[str, object] = json.loads(done.out)
        return result

    def remote_rev(self, ref: str) -> str:
        return git(self.remote, "rev-parse", ref)

    def remote_file(self, ref: str, path: str) -> str:
        return git(self.remote, "show", f"{ref}:{path}")

    def merge(self, number: int, *, squash: bool = False) -> str:
        """GitHub's merge button: a merge commit of the release branch on main (or, with
        `squash`, its squash button: one new commit with the branch's changes)."""
        self.repo.git("fetch", "-q", "origin", BRANCH)
        if squash:
            self.repo.git("merge", "-q", "--squash", "FETCH_HEAD")
            self.repo.git("commit", "-q", "-m", f"chore(release): the next release (#{number})")
        else:
            self.repo.git(
                "merge", "-q", "--no-ff", "FETCH_HEAD",
                "-m", f"Merge pull request #{number} from acme/{BRANCH}",
            )  # fmt: skip
        self.repo.git("push", "-q", "origin", "main")
        merged = self.repo.git("rev-parse", "HEAD")
        self.github.merged("acme", self.name, number, merged)
        return merged


@pytest.fixture
def project(repo: Repo, tmp_path: Path, github_api: GithubApi, pypi_server: PypiServer) -> Project:
    """A Python package released to PyPI and GitHub (one artifact kind each), v0.3.0 out."""
    name = f"tiny{next(_names)}"
    github_api.add_repo("acme", name)
    make(repo, "Tiny package.")
    with (repo.path / "pyproject.toml").open("a") as handle:
        handle.write(
            f'\n[tool.release.pypi]\nrepository_url = "{pypi_server.url}"\n'
            f'index_url = "{pypi_server.simple_url}"\n'
            f'\n[tool.release.github]\nrepository = "acme/{name}"\n'
            f'api_url = "{github_api.url}"\nwrite_interval = 0\n'
            "\n[tool.release.build]\nsbom = false\n"
        )
    repo.write("CHANGELOG.md", "# Changelog\n\n## 0.3.0\n\n- The first release.\n")
    repo.commit("chore: release config", file="cfg.txt")
    repo.git("tag", "-f", "-a", "-m", "v0.3.0", "v0.3.0")
    remote = repo.add_remote(tmp_path)
    env = {
        "GITHUB_TOKEN": github_api.token,
        "TWINE_USERNAME": "uploader",
        "TWINE_PASSWORD": "twine-password-of-the-pr-test",
    }
    return Project(repo, remote, name, env, github_api, pypi_server)


def _push(project: Project, message: str) -> None:
    project.repo.commit(message, file="src/tiny_pkg/notes.txt")
    project.repo.git("push", "-q", "origin", "main")


def test_open_update_merge_release_then_nothing(project: Project) -> None:
    repo = project.repo
    _push(project, "fix: greet in French")
    before = repo.snapshot()
    opened = project.pr()
    assert opened["state"] == "open" and opened["version"] == "0.3.1"
    pull = opened["pull_request"]
    assert isinstance(pull, dict) and pull["action"] == "opened"
    assert repo.snapshot() == before  # the user's work tree, HEAD and tags untouched
    head = project.remote_rev(f"refs/heads/{BRANCH}")
    assert project.remote_rev(f"{head}^") == project.remote_rev("refs/heads/main")
    assert 'version = "0.3.1"' in project.remote_file(head, "pyproject.toml")
    assert '__version__ = "0.3.1"' in project.remote_file(head, "src/tiny_pkg/__init__.py")
    assert "Greet in French" in project.remote_file(head, "CHANGELOG.md")
    [found] = project.github.pulls("acme", project.name)
    assert found.title == "chore(release): v0.3.1" and found.base == "main"
    assert "Greet in French" in found.body  # the changelog section, and where it goes:
    assert project.pypi.url in found.body and "GitHub release v0.3.1" in found.body
    assert found.labels == ["release-toolkit: pending"]

    again = project.pr()  # nothing new on main: the same pull request, the branch kept
    assert again["pull_request"] == {**pull, "action": "unchanged"}
    assert project.remote_rev(f"refs/heads/{BRANCH}") == head

    _push(project, "feat!: hi() says hello")
    updated = project.pr()
    assert updated["version"] == "0.4.0"  # a breaking change below 1.0: a minor bump
    assert updated["pull_request"] == {**pull, "action": "updated"}
    [found] = project.github.pulls("acme", project.name)
    assert found.title == "chore(release): v0.4.0" and "hello" in found.body

    # The maintainer edits the changelog in the pull request, by hand on its branch.
    edit = repo.path.parent / "edit"
    git(repo.path.parent, "clone", "-q", "-b", BRANCH, str(project.remote), str(edit))
    changelog = (edit / "CHANGELOG.md").read_text()
    (edit / "CHANGELOG.md").write_text(changelog.replace("Hi() says hello", "Hello, edited"))
    git(edit, "commit", "-qam", "docs: reword the changelog")
    git(edit, "push", "-q", "origin", BRANCH)
    edited = project.remote_rev(f"refs/heads/{BRANCH}")
    refused = run_release(repo.path, "pr", env=project.env)
    assert refused.code == 2 and "did not make" in refused.err, refused.err
    assert project.remote_rev(f"refs/heads/{BRANCH}") == edited  # their commit kept

    merged = project.merge(int(str(pull["number"])))
    waiting = project.pr()  # the push of the merge: prepared, for the release job
    assert waiting["state"] == "prepared" and waiting["version"] == "0.4.0"
    assert waiting["pull_request"] is None and len(project.github.pulls("acme", project.name)) == 1
    cut = run_release(repo.path, "cut", "--yes", "--json", env=project.env)
    assert cut.code == 0, cut.err
    assert repo.git("rev-parse", "HEAD") == merged  # no second bump commit
    assert repo.git("rev-parse", "v0.4.0^{commit}") == merged
    assert project.remote_rev("refs/tags/v0.4.0^{commit}") == merged
    files = [f for f in project.pypi.files() if "-0.4.0" in f]
    assert files == ["tiny_pkg-0.4.0-py3-none-any.whl", "tiny_pkg-0.4.0.tar.gz"]
    release = project.github.release("acme", project.name, "v0.4.0")
    assert release is not None and not release.draft
    assert "Hello, edited" in release.body and "Hi() says hello" not in release.body
    assert sorted(a.name for a in release.assets) == sorted([*files, "SHA256SUMS"])

    after = project.pr()
    assert after["state"] == "nothing" and after["pull_request"] is None
    assert len(project.github.pulls("acme", project.name)) == 1  # nothing opened


def test_nothing_to_release_closes_a_stale_pull_request(project: Project) -> None:
    _push(project, "feat: greet")
    opened = project.pr()
    assert opened["state"] == "open"
    # Someone released 0.4.0 another way: the pull request's release is stale.
    project.repo.git("tag", "-a", "-m", "v0.4.0", "v0.4.0")
    project.repo.git("push", "-q", "origin", "v0.4.0")
    closed = project.pr()
    assert closed["state"] == "nothing"
    assert closed["pull_request"] == {**opened["pull_request"], "action": "closed"}  # type: ignore[dict-item]
    [found] = project.github.pulls("acme", project.name)
    assert found.state == "closed" and found.merged_at is None


def test_an_out_of_date_squashed_release_job_killed_then_resumed(project: Project) -> None:
    _push(project, "fix: a typo")
    pull = project.pr()["pull_request"]
    assert isinstance(pull, dict)
    # A feature lands before the merge and no `release pr` ran since: the pull request is out
    # of date, and what was merged (0.3.1) is what is released, not what the commits ask for.
    _push(project, "feat: lands after the pull request")
    merged = project.merge(int(str(pull["number"])), squash=True)  # squashed, this time
    killed = run_release(
        project.repo.path, "cut", "--yes", env={**project.env, "RELEASE_TEST_KILL_AT": "after:pypi"}
    )
    assert killed.code == -9, killed.err
    resumed = run_release(project.repo.path, "resume", "--yes", env=project.env)
    assert resumed.code == 0, resumed.err
    assert project.remote_rev("refs/tags/v0.3.1^{commit}") == merged
    files = [f for f in project.pypi.files() if "-0.3.1" in f]
    assert files == ["tiny_pkg-0.3.1-py3-none-any.whl", "tiny_pkg-0.3.1.tar.gz"]
    release = project.github.release("acme", project.name, "v0.3.1")
    assert release is not None and not release.draft and "A typo" in release.body
    assert project.repo.git("rev-parse", "HEAD") == merged


def test_a_pull_request_closed_without_merge_is_opened_again_on_the_next_push(
    project: Project,
) -> None:
    _push(project, "fix: one")
    first = project.pr()["pull_request"]
    assert isinstance(first, dict)
    project.github.close("acme", project.name, int(str(first["number"])))  # closed by hand
    assert project.repo.git("tag", "-l", "v0.3.1") == ""  # nothing released
    _push(project, "fix: two")
    second = project.pr()["pull_request"]
    assert isinstance(second, dict) and second["action"] == "opened"
    assert second["number"] != first["number"]
    states = [p.state for p in project.github.pulls("acme", project.name)]
    assert states == ["closed", "open"]


def test_a_merge_released_after_main_moved_on_pushes_only_its_tag(project: Project) -> None:
    """Another pull request lands before the release job starts: the merged release commit is
    behind main, and already on it. The cut tags it and pushes the tag alone; main keeps the
    commit that landed after."""
    # A line of its own (0.7.x): the module's PyPI index already has this package's 0.3.1
    # and 0.4.0 from the tests above, and a file name is never uploaded twice.
    project.repo.git("tag", "-a", "-m", "v0.7.0", "v0.7.0")
    project.repo.git("push", "-q", "origin", "v0.7.0")
    _push(project, "fix: a typo")
    pull = project.pr()["pull_request"]
    assert isinstance(pull, dict)
    merged = project.merge(int(str(pull["number"])))
    colleague = project.repo.path.parent / "colleague"
    git(project.repo.path.parent, "clone", "-q", str(project.remote), str(colleague))
    (colleague / "later.txt").write_text("landed after the release pull request\n")
    git(colleague, "add", "later.txt")
    git(colleague, "commit", "-qm", "docs: lands after the merge")
    git(colleague, "push", "-q", "origin", "main")
    later = project.remote_rev("refs/heads/main")
    cut = run_release(project.repo.path, "cut", "--yes", env=project.env)
    assert cut.code == 0, cut.out + cut.err
    assert project.remote_rev("refs/tags/v0.7.1^{commit}") == merged
    assert project.remote_rev("refs/heads/main") == later  # left as the colleague pushed it
    files = [f for f in project.pypi.files() if "-0.7.1" in f]
    assert files == ["tiny_pkg-0.7.1-py3-none-any.whl", "tiny_pkg-0.7.1.tar.gz"]

"""The release pull request with independent versions: two Python packages with their own
tags; `release pr` prepares only the one that changed, merged (a merge commit) the release
job tags the merged commit with that package's tag alone and publishes it once, with the
changelog text the maintainer edited in the pull request; then `release pr` opens nothing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from tests.services.github_api import GithubApi
from tests.services.pypi import PypiServer

from ..conftest import Repo, git, run_release
from .pr_packages import BRANCH, write_package

_names = itertools.count()


def test_only_the_changed_package_is_prepared_then_released_on_merge(
    repo: Repo, tmp_path: Path, github_api: GithubApi, pypi_server: PypiServer
) -> None:
    n = next(_names)
    project, alpha, beta = f"duo{n}", f"alpha-pr{n}", f"beta-pr{n}"
    github_api.add_repo("acme", project)
    write_package(repo, "alpha", alpha, "0.1.0")
    write_package(repo, "beta", beta, "1.0.0")
    repo.write(
        "release-toolkit.toml",
        f'[version]\nmode = "independent"\n\n[build]\nsbom = false\n\n'
        f'[pypi]\nrepository_url = "{pypi_server.url}"\nindex_url = "{pypi_server.simple_url}"\n'
        f'\n[github]\nrepository = "acme/{project}"\napi_url = "{github_api.url}"\n'
        "write_interval = 0\n",
    )
    repo.write(".gitignore", "dist/\n")
    repo.commit("chore: start", file="notes.txt")
    repo.tag(f"{alpha}-v0.1.0")
    repo.tag(f"{beta}-v1.0.0")
    remote = repo.add_remote(tmp_path)
    env = {
        "GITHUB_TOKEN": github_api.token,
        "TWINE_USERNAME": "uploader",
        "TWINE_PASSWORD": "twine-password-of-the-pr-test",
    }
    repo.commit("feat: alpha greets", file="alpha/src/notes.txt")
    repo.git("push", "-q", "origin", "main")

    opened = run_release(repo.path, "pr", "--json", env=env)
    assert opened.code == 0, opened.err
    found = json.loads(opened.out)
    assert found["state"] == "open" and found["version"] == f"{alpha} 0.2.0"
    head = git(remote, "rev-parse", f"refs/heads/{BRANCH}")
    assert 'version = "0.2.0"' in git(remote, "show", f"{head}:alpha/pyproject.toml")
    assert 'version = "1.0.0"' in git(remote, "show", f"{head}:beta/pyproject.toml")
    assert "Alpha greets" in git(remote, "show", f"{head}:alpha/CHANGELOG.md")
    [pull] = github_api.pulls("acme", project)
    assert f"{alpha}-v0.2.0" in pull.title and "Alpha greets" in pull.body

    edit = tmp_path / "edit"  # the maintainer rewords alpha's changelog in the pull request
    git(tmp_path, "clone", "-q", "-b", BRANCH, str(remote), str(edit))
    text = (edit / "alpha" / "CHANGELOG.md").read_text()
    (edit / "alpha" / "CHANGELOG.md").write_text(text.replace("Alpha greets", "Alpha, reworded"))
    git(edit, "commit", "-qam", "docs: reword")
    git(edit, "push", "-q", "origin", BRANCH)

    repo.git("fetch", "-q", "origin", BRANCH)
    repo.git("merge", "-q", "--no-ff", "FETCH_HEAD", "-m", f"Merge pull request #1 from {BRANCH}")
    repo.git("push", "-q", "origin", "main")
    merged = repo.git("rev-parse", "HEAD")
    github_api.merged("acme", project, pull.number, merged)
    waiting = json.loads(run_release(repo.path, "pr", "--json", env=env).out)
    assert waiting["state"] == "prepared" and waiting["pull_request"] is None

    cut = run_release(repo.path, "cut", "--yes", env=env)
    assert cut.code == 0, cut.err
    assert repo.git("rev-parse", "HEAD") == merged  # tagged, no second commit
    assert git(remote, "rev-parse", f"refs/tags/{alpha}-v0.2.0^{{commit}}") == merged
    assert repo.git("tag", "-l", f"{beta}-v*") == f"{beta}-v1.0.0"  # beta: nothing new
    wheel = alpha.replace("-", "_")
    files = [f for f in pypi_server.files() if f.startswith(wheel)]
    assert files == [f"{wheel}-0.2.0-py3-none-any.whl", f"{wheel}-0.2.0.tar.gz"]
    release = github_api.release("acme", project, f"{alpha}-v0.2.0")
    assert release is not None and not release.draft
    assert "Alpha, reworded" in release.body and "Alpha greets" not in release.body

    after = json.loads(run_release(repo.path, "pr", "--json", env=env).out)
    assert after["state"] == "nothing" and len(github_api.pulls("acme", project)) == 1

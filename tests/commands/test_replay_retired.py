"""A file the project bumped by hand in old releases and no longer versions (mdBook's CI guide:
a download URL, then a `{{ mdbook-version }}` placeholder) is the project's history: policy.
One that still carries a version today, in no manifest, stays a defect."""

from __future__ import annotations

from release.commands.replay import replay
from tests.conftest import Repo

URL = "curl -sSL https://example.org/download/v{v}/tool-v{v}.tar.gz | tar -xz\n"


def _release(repo: Repo, version: str) -> None:
    repo.write("pyproject.toml", f'[project]\nname = "demo"\nversion = "{version}"\n')
    repo.write("docs/ci.md", URL.format(v=version))
    repo.write("docs/install.md", f"pip install demo=={version}\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"chore(release): v{version}")
    repo.tag(f"v{version}")


def test_a_file_versioned_by_hand_then_and_no_more_is_policy(repo: Repo) -> None:
    repo.write(
        "release-toolkit.toml",
        '[manifests]\npython = ["pyproject.toml"]\n\n[changelog]\nenabled = false\n',
    )
    repo.commit("chore: start")
    _release(repo, "1.0.0")
    repo.commit("fix: a fix", file="demo/a.py")
    _release(repo, "1.0.1")
    repo.write("docs/ci.md", URL.format(v="{{ tool-version }}"))
    repo.commit("docs: the guide renders the version")
    (one,) = replay(repo.path, last=1).releases
    kinds = {d.theirs: (d.kind, d.why) for d in one.differences}
    assert kinds["docs/ci.md"][0] == "policy"
    assert "no version there any more" in kinds["docs/ci.md"][1]
    assert kinds["docs/install.md"][0] == "defect"  # still `demo==1.0.1`: a missed manifest

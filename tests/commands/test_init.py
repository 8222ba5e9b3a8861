"""`release init` in repositories shaped like real ones (tests/adoption.py): none of their files
change, release-toolkit.toml holds what was found, and `release verify` accepts it; then a cut."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from release.base._toml import tomllib
from tests.adoption import (
    OWN_CLIFF,
    git_cliff_like,
    js_monorepo,
    python_on_master,
    release_plz_like,
)
from tests.conftest import Repo, run_release


def fingerprint(repo: Repo) -> dict[str, str]:
    """Every tracked file's content hash, and the repository's HEAD, tags and status."""
    files = repo.git("ls-files").splitlines()
    hashes = {f: hashlib.sha256((repo.path / f).read_bytes()).hexdigest() for f in files}
    return {**hashes, "(git)": "|".join(repo.snapshot())}


def init(repo: Repo, *args: str) -> dict[str, object]:
    """Run `release init`, check it added files and changed none, return release-toolkit.toml."""
    before = fingerprint(repo)
    result = run_release(repo.path, "init", *args)
    assert result.code == 0, result.err
    after = fingerprint(repo)
    assert after.pop("(git)").rsplit("|", 1)[0] == before.pop("(git)").rsplit("|", 1)[0]
    assert after == before  # no tracked file changed; only new, untracked ones
    config = tomllib.loads((repo.path / "release-toolkit.toml").read_text())
    config["(out)"] = result.out
    return config


def commit_config(repo: Repo) -> None:
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: adopt release-toolkit")
    repo.git("push", "-q", "origin", "HEAD")


def test_a_git_cliff_like_repository(repo: Repo, tmp_path: Path) -> None:
    git_cliff_like(repo, tmp_path)
    config = init(repo)
    assert config["project"] == {"name": "cliffy"}
    assert config["git"]["branch"] == "main"  # type: ignore[index]
    assert config["git"]["mode"] == "tag-trigger"  # type: ignore[index]
    # The project's own release commit subject, read from its last release.
    assert config["git"]["commit_message"] == "chore(release): prepare for {tag}"  # type: ignore[index]
    assert config["manifests"] == {
        "cargo": "Cargo.toml",
        "python": ["pypi/pyproject.toml"],
        "version_files": [],
        "npm": ["npm/cliffy/package.json"],
    }
    assert config["build"]["include"] == ["README.md", "LICENSE-APACHE", "LICENSE-MIT"]  # type: ignore[index]
    assert config["changelog"] == {"path": "CHANGELOG.md", "config": "cliff.toml"}
    assert (repo.path / "cliff.toml").read_text() == OWN_CLIFF
    assert not (repo.path / ".github" / "workflows" / "release.yml").exists()
    out = str(config["(out)"])
    assert "kept .github/workflows/cd.yml: it runs on a pushed tag v*.*.*" in out
    assert "ci.yml" not in out  # it runs on branch pushes only
    assert "release init --workflow .github/workflows/release-toolkit.yml" in out
    commit_config(repo)
    verify = run_release(repo.path, "verify")
    assert verify.code == 0, verify.err + verify.out
    cut = run_release(repo.path, "cut", "--yes")
    assert cut.code == 0, cut.err
    wrapper = json.loads((repo.path / "npm/cliffy/package.json").read_text())
    assert wrapper["version"] == "2.14.0"
    assert set(wrapper["optionalDependencies"].values()) == {"2.14.0"}
    assert wrapper["dependencies"] == {"execa": "^9.6.0", "left-pad": "2.13.1"}
    assert 'version = "2.14.0"' in (repo.path / "cliffy/Cargo.toml").read_text()
    assert repo.git("ls-remote", "origin", "refs/tags/v2.14.0")  # pushed: cd.yml takes over
    assert repo.git("log", "-1", "--format=%s") == "chore(release): prepare for v2.14.0"


def test_a_javascript_monorepo(repo: Repo, tmp_path: Path) -> None:
    js_monorepo(repo, tmp_path)
    config = init(repo)
    assert config["project"] == {"name": "vue"}  # the unscoped package; the root has no name
    assert config["manifests"]["npm"] == [  # type: ignore[index]
        "package.json",
        "packages/shared/package.json",
        "packages/vue/package.json",
    ]
    assert config["build"]["include"] == ["LICENSE"]  # type: ignore[index]
    assert config["git"]["commit_message"] == "release: {tag}"  # type: ignore[index]
    assert config["git"]["mode"] == "tag-trigger"  # type: ignore[index]
    commit_config(repo)
    cut = run_release(repo.path, "cut", "--yes")
    assert cut.code == 0, cut.err
    for path in ("package.json", "packages/vue/package.json", "packages/shared/package.json"):
        assert json.loads((repo.path / path).read_text())["version"] == "3.5.42", path
    test_only = json.loads((repo.path / "packages/runtime-test/package.json").read_text())
    assert test_only["version"] == "0.0.0"
    assert '"@vue/shared": "workspace:*"' in (repo.path / "packages/vue/package.json").read_text()


def test_a_python_project_on_master(repo: Repo, tmp_path: Path) -> None:
    python_on_master(repo, tmp_path)
    repo.git("remote", "set-head", "origin", "--delete")  # as after a plain `git remote add`
    config = init(repo)
    assert config["git"]["branch"] == "master"  # type: ignore[index]
    assert "branch 'master' (the default branch of origin)" in str(config["(out)"])
    assert config["project"] == {"name": "tqdm"}
    assert config["build"]["include"] == ["README.rst", "LICENCE"]  # type: ignore[index]
    assert config["manifests"]["python"] == []  # type: ignore[index] # the tag is its version
    out = str(config["(out)"])
    assert "kept .github/workflows/test.yml: it runs on every push; its jobs check for" in out
    assert "kept .github/workflows/post-release.yml: it runs on a GitHub release" in out
    commit_config(repo)
    verify = run_release(repo.path, "verify")
    assert verify.code == 0, verify.err
    assert "push master and v4.70.0 to origin" in verify.out


def test_init_never_overwrites(repo: Repo, tmp_path: Path) -> None:
    git_cliff_like(repo, tmp_path)
    init(repo)
    written = (repo.path / "release-toolkit.toml").read_text()
    again = run_release(repo.path, "init")
    assert again.code == 2
    assert again.err.startswith("error: release-toolkit.toml already exists: release init never")
    assert "release init --print" in again.err
    printed = run_release(repo.path, "init", "--print")
    assert printed.code == 0 and printed.out == written  # the report goes to stderr
    assert "found:" in printed.err
    # The workflow on request, under a free name: release-toolkit.toml is kept as it is.
    target = ".github/workflows/release-toolkit.yml"
    wrote = run_release(repo.path, "init", "--workflow", target)
    assert wrote.code == 0, wrote.err
    assert "uses: release-toolkit/release-toolkit@v" in (repo.path / target).read_text()
    assert "release-toolkit.yml runs on a pushed tag, as cd.yml do(es)" in wrote.out
    assert (repo.path / "release-toolkit.toml").read_text() == written
    taken = run_release(repo.path, "init", "--workflow", ".github/workflows/cd.yml")
    assert taken.code == 2 and "already exists" in taken.err
    shown = run_release(repo.path, "init", "--workflow", "-")
    assert shown.code == 0 and shown.out.startswith("# Written by `release init`")


def test_a_fresh_project_gets_the_workflow_and_a_cliff_toml(repo: Repo, tmp_path: Path) -> None:
    repo.write("pyproject.toml", '[project]\nname = "demo"\nversion = "1.1.0"\n')
    repo.write("src/demo/__init__.py", '__version__ = "1.1.0"\n')
    repo.commit("feat: first")
    config = init(repo)
    assert config["git"]["mode"] == "local" and config["git"]["branch"] == "main"  # type: ignore[index]
    assert config["manifests"]["version_files"] == ["src/demo/__init__.py"]  # type: ignore[index]
    assert (repo.path / "cliff.toml").is_file()
    workflow = (repo.path / ".github" / "workflows" / "release.yml").read_text()
    assert "uses: release-toolkit/release-toolkit@v0.1.0 " in workflow  # this very version
    # Where the config lives in pyproject.toml, init leaves it there.
    (repo.path / "release-toolkit.toml").unlink()
    repo.write("pyproject.toml", '[project]\nname = "demo"\n\n[tool.release.git]\nbranch = "x"\n')
    refused = run_release(repo.path, "init")
    assert refused.code == 2 and "[tool.release] in pyproject.toml already exists" in refused.err


def test_an_rst_changelog_gets_the_rst_template(repo: Repo) -> None:
    old = "Changelog\n=========\n\n1.1.0 (2026-01-02)\n------------------\n\n- Old\n"
    repo.write("pyproject.toml", '[project]\nname = "demo"\nversion = "1.1.0"\n')
    repo.write("CHANGELOG.rst", old)
    repo.commit("feat: first")
    repo.tag("v1.1.0")
    repo.commit("fix: second")
    config = init(repo)
    assert config["changelog"] == {"path": "CHANGELOG.rst", "config": "cliff.toml"}  # type: ignore[comparison-overlap]
    assert "~{% endfor %}" in (repo.path / "cliff.toml").read_text()  # the RST template
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: adopt release-toolkit")
    verified = run_release(repo.path, "verify")
    assert "changelog" in verified.out + verified.err
    assert "reStructuredText" not in verified.err  # the markup matches


def test_a_workspace_of_independent_crates(repo: Repo, tmp_path: Path) -> None:
    release_plz_like(repo, tmp_path)
    config = init(repo)
    assert config["version"]["mode"] == "independent"  # type: ignore[index]
    assert config["version"]["package_tag_format"] == "{name}-v{version}"  # type: ignore[index]
    assert "tag_format" not in config["version"]  # type: ignore[operator]
    # Its workflow runs on a package's tag, but package tags are cut and published locally.
    assert config["git"]["mode"] == "local"  # type: ignore[index]
    assert "npm" not in config["manifests"]  # type: ignore[operator]
    out = str(config["(out)"])
    assert "2 packages versioned on their own" in out
    assert "independent packages are cut and published by `release cut`" in out
    assert not (repo.path / ".github" / "workflows" / "release.yml").exists()
    commit_config(repo)
    next_ = run_release(repo.path, "next")
    # 0.6.29 stays inside release-plz's `0.6.28` (caret): release-plz is not pulled in.
    assert (next_.code, next_.out) == (0, "git_cmd 0.6.29\n"), next_.err


def test_init_writes_the_release_pull_request_workflow_where_asked(
    repo: Repo, tmp_path: Path
) -> None:
    python_on_master(repo, tmp_path)
    alone = run_release(repo.path, "init", "--pr")  # --pr says which workflow, not where
    assert alone.code == 2 and "--workflow" in alone.err
    assert repo.status() == ""  # nothing written
    done = run_release(repo.path, "init", "--pr", "--workflow", ".github/workflows/release-pr.yml")
    assert done.code == 0, done.err
    text = (repo.path / ".github" / "workflows" / "release-pr.yml").read_text()
    assert "release pr" in text and "release cut --yes" in text
    assert "pull-requests: write" in text and "tags:" not in text

"""`release init` learns from the project's last releases, one class of repository at a time:
mixed tag styles, version files at any depth (npm platform packages, a nested maturin
pyproject.toml), the release commit message as a template, the root changelog of the main
package; and it replays what it wrote."""

from __future__ import annotations

import json

from release.base.versioning import TagFormat
from release.commands.init import init
from release.commands.init_learn import commit_template, release_commits
from release.commands.next import next_version
from release.commands.replay import replay
from release.core.settings import config
from release.tools.git import Git
from tests.conftest import Repo

CRATE = '[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'
PLATFORM = '{{\n  "name": "@tool/{name}",\n  "version": "{version}"\n}}\n'


def _platforms(repo: Repo, version: str) -> None:
    for name in ("linux-x64", "darwin-arm64"):
        repo.write(
            f"crates/tool/npm/{name}/package.json", PLATFORM.format(name=name, version=version)
        )


def _lockstep_release(repo: Repo, version: str, message: str | None) -> None:
    repo.write("crates/tool/Cargo.toml", CRATE.format(name="tool", version=version))
    _platforms(repo, version)
    repo.write(
        "python/tool/pyproject.toml",
        '[build-system]\nbuild-backend = "maturin"\n\n'
        f'[project]\nname = "tool"\nversion = "{version}"\n',
    )
    repo.write("docs/install.md", f"Install it: `cargo install tool@{version}`\n")
    old = (repo.path / "CHANGELOG.md").read_text()
    repo.write(
        "CHANGELOG.md", old.replace("\n\n", f"\n\n## [{version}] - 2026-01-01\n\n- x\n\n", 1)
    )
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", message.format(version=version) if message else "chore: start")
    if message:
        repo.tag(f"v{version}")


def test_init_learns_the_files_release_commits_bump_at_any_depth(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    repo.write("crates/tool/src/main.rs", "fn main() {}\n")
    repo.write("crates/tool/npm/linux-x64/README.md", "the linux binary\n")
    repo.write("scripts/VERSION", "not = 1.0.0\n")  # carries the version, bumped by nobody
    repo.write("CHANGELOG.md", "# Changelog\n\n")
    _lockstep_release(repo, "0.9.0", None)  # the files exist before the first release
    _lockstep_release(repo, "1.0.0", "Release v{version} (#3233)")
    repo.commit("feat: a feature", file="crates/tool/src/lib.rs")
    _lockstep_release(repo, "1.1.0", "Release v{version} (#3234)")
    repo.commit("fix: a fix", file="crates/tool/src/lib.rs")
    result = init(repo.path)
    cfg = config.load(repo.path)
    assert sorted(cfg.manifests.npm or []) == [
        "crates/tool/npm/darwin-arm64/package.json",
        "crates/tool/npm/linux-x64/package.json",
    ]
    assert cfg.manifests.python == ["python/tool/pyproject.toml"]
    assert [(e.path, e.search) for e in cfg.manifests.extra] == [
        ("docs/install.md", "Install it: `cargo install tool@{version}`")
    ]
    assert cfg.git.commit_message == "Release {tag}"  # the PR number is not copied
    # The config just written, replayed: every file the project bumped, bumped again.
    (summary,) = [k for k in result.kept if k.startswith("replayed")]
    assert "files 2/2" in summary and "changelog 2/2" in summary
    assert "version 1/2" in summary  # the first release's version was the project's choice
    assert not any("scripts/VERSION" in n for n in result.notes)  # `not = ` states no version
    repo.write("scripts/VERSION", 'version = "1.1.0"\n')
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: a version file nobody bumps")
    (repo.path / config.load(repo.path).source.name).unlink()  # type: ignore[union-attr]
    again = init(repo.path)
    assert any("scripts/VERSION" in n and "1.1.0" in n for n in again.notes)


def test_a_two_line_release_message_keeps_its_lines(repo: Repo) -> None:
    for version in ("0.45.0", "0.45.1"):
        repo.commit("fix: a fix")
        repo.write("VERSION.txt", f"version={version}\n")
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", f"{version}\n\nbump version\n\nSigned-off-by: A <a@b.c>")
        repo.tag(f"v{version}")
    git = Git(repo.path)
    found = release_commits(git, {"": TagFormat("v{version}")})
    assert commit_template(git, found) == "{version}\n\nbump version"


def _independent_release(repo: Repo, name: str, version: str, tag: str) -> None:
    folder = "crates/tool" if name == "tool" else f"crates/{name}"
    repo.write(f"{folder}/Cargo.toml", CRATE.format(name=name, version=version))
    if name == "tool":  # the main crate writes the repository's changelog, and a manifest
        repo.write(f"{folder}/app.manifest", f'<assemblyIdentity version="{version}.0" />\n')
        repo.write("README.md", f'Add `tool = "{version}"` to your Cargo.toml\n')  # no folder
        old = (repo.path / "CHANGELOG.md").read_text()
        repo.write("CHANGELOG.md", old.replace("\n\n", f"\n\n#### [{version}]\n\n- x\n\n", 1))
    else:
        repo.write(f"{folder}/CHANGELOG.md", f"## [{version}]\n\n- y\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"chore: release {tag}")
    repo.tag(tag)


def test_mixed_tag_styles_and_the_main_packages_root_changelog(repo: Repo) -> None:
    """The main crate tagged `v1.48.0`, the library `tool-lib-v0.3.0`: each keeps its style,
    and `release next` sees the main crate's last release."""
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    repo.write("crates/tool/src/main.rs", "fn main() {}\n")
    repo.write("crates/tool-lib/src/lib.rs", "\n")
    repo.write("CHANGELOG.md", "# Changelog\n\n")
    _independent_release(repo, "tool", "1.47.0", "v1.47.0")
    _independent_release(repo, "tool-lib", "0.3.0", "tool-lib-v0.3.0")
    repo.commit("feat(tool): a feature", file="crates/tool/src/main.rs")
    _independent_release(repo, "tool", "1.48.0", "v1.48.0")
    repo.commit("feat(tool): a feature", file="crates/tool/src/main.rs")
    init(repo.path)
    cfg = config.load(repo.path)
    assert cfg.version.mode == "independent"
    assert cfg.version.tag_formats == {"tool": "v{version}"}
    assert cfg.changelog.package_paths == {"tool": "CHANGELOG.md"}
    assert [(e.path, e.search, e.package) for e in cfg.manifests.extra] == [
        ("README.md", 'Add `tool = "{version}"` to your Cargo.toml', "tool"),
        ("crates/tool/app.manifest", '<assemblyIdentity version="{version}.0" />', "tool"),
    ]
    # The main crate's last release, replayed with what init wrote: the same files.
    last = replay(repo.path, last=1).releases[0]
    assert last.theirs_tags == {"tool": "v1.48.0"} and last.error is None
    assert (
        last.ours_files
        == last.theirs_files
        == {
            "CHANGELOG.md",
            "README.md",
            "crates/tool/Cargo.toml",
            "crates/tool/app.manifest",
        }
    )
    assert last.agrees("changelog") and last.agrees("version") and last.agrees("tag")
    found = {p.name: p for p in next_version(repo.path, None).packages}
    assert (found["tool"].current, found["tool"].version) == ("1.48.0", "1.49.0")
    assert found["tool"].tag == "v1.49.0"
    payload = json.dumps(next_version(repo.path, None).payload())
    assert "never released" not in payload


def test_a_package_json_no_release_commit_bumps_is_left_out(repo: Repo) -> None:
    """nuxt: the private root package.json states a version its releases never change."""
    repo.write(
        "package.json", '{\n  "name": "framework",\n  "private": true,\n  "version": "4.3.0"\n}\n'
    )
    for version in ("4.3.0", "4.3.1", "4.3.2", "4.3.3"):
        repo.write(
            "packages/kit/package.json", f'{{\n  "name": "kit",\n  "version": "{version}"\n}}\n'
        )
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", f"v{version}")
        repo.tag(f"v{version}")
        repo.commit("fix: a fix", file="packages/kit/src.js")
    repo.write(
        "package.json", '{\n  "name": "framework",\n  "private": true,\n  "version": "4.3.2"\n}\n'
    )
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: the root states the version too")
    init(repo.path)
    cfg = config.load(repo.path)
    assert cfg.manifests.npm == ["packages/kit/package.json"]
    assert cfg.changelog.enabled is False  # no changelog, and its releases wrote none

"""`release init` learns packages released together from the release tags and the manifests
their release commits bump, one class of repository at a time: a workspace whose crates
move together under one tag beside a publishable test crate (pyo3), a leader whose platform
packages are released at its version under its tag alone (biome), products tagged with their
own prefixes (oxc); and the replay of what it wrote agrees with the project's releases."""

from __future__ import annotations

import json

from release.commands.init import init
from release.commands.replay import replay
from release.core.settings import config
from tests.conftest import Repo

CRATE = '[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'


def _crate(repo: Repo, folder: str, name: str, version: str) -> None:
    repo.write(f"{folder}/Cargo.toml", CRATE.format(name=name, version=version))


def _npm(repo: Repo, folder: str, name: str, version: str) -> None:
    repo.write(
        f"{folder}/package.json", json.dumps({"name": name, "version": version}, indent=2) + "\n"
    )


def _section(repo: Repo, path: str, version: str) -> None:
    """A release's section, above the others."""
    old = (repo.path / path).read_text() if (repo.path / path).exists() else "# Changelog\n\n"
    section = f"# Changelog\n\n## [{version}] - 2026-01-01\n\n- x\n\n"
    repo.write(path, old.replace("# Changelog\n\n", section, 1))


def _release(repo: Repo, message: str, *tags: str) -> None:
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", message)
    for tag in tags:
        repo.tag(tag)


def _agreement(repo: Repo) -> dict[str, int]:
    result = replay(repo.path, last=10)
    assert not [r.error for r in result.releases if r.error]
    summary = result.summary()
    assert not summary["differences"].get("defect"), [
        d for r in result.releases for d in r.differences if d.kind == "defect"
    ]
    return summary["agree"]


def test_crates_released_together_under_one_tag(repo: Repo) -> None:
    # pyo3's publishable, never released test crate is `pytests/` (one under `tests/` is no
    # package at all: release.core.project.examples)
    repo.write("Cargo.toml", '[workspace]\nmembers = ["core", "macros", "pytests"]\n')
    _crate(repo, "pytests", "ui-tests", "0.1.0")
    for version in ("0.20.0", "0.21.0", "0.22.0"):
        _crate(repo, "core", "core", version)
        _crate(repo, "macros", "core-macros", version)
        _section(repo, "CHANGELOG.md", version)
        _release(repo, f"release: {version}", f"v{version}")
        repo.commit("feat: more", file="core/src/lib.rs")
        repo.commit("fix: macros", file="macros/src/lib.rs")
    init(repo.path)
    cfg = config.load(repo.path)
    assert cfg.version.mode == "independent"
    assert [(g.packages, g.tag_format) for g in cfg.version.groups] == [
        (["core", "core-macros"], "v{version}")
    ]
    assert cfg.version.exclude == ["ui-tests"]
    assert cfg.git.commit_message == "release: {version}"
    agree = _agreement(repo)
    assert agree["tag"] == agree["version"] == 2  # one tag for the group, at one version


def test_a_leader_and_its_platform_packages_under_its_tag(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    _crate(repo, "crates/parser", "parser", "0.5.0")  # released on its own, with its own tags
    _release(repo, "chore: start", "parser/v0.5.0")
    for version in ("1.4.0", "1.5.0", "1.6.0"):
        _npm(repo, "packages/tool", "@acme/tool", version)
        for platform in ("linux-x64", "darwin-arm64"):
            _npm(repo, f"packages/cli-{platform}", f"@acme/cli-{platform}", version)
        _release(repo, f"ci: release {version}", f"@acme/tool@{version}")
        repo.commit("feat: a rule", file="packages/tool/src/rule.js")
    repo.commit("fix: the parser", file="crates/parser/src/lib.rs")
    _crate(repo, "crates/parser", "parser", "0.5.1")
    _release(repo, "ci: release the parser", "parser/v0.5.1")
    init(repo.path)
    cfg = config.load(repo.path)
    assert [(g.packages, g.tag_format) for g in cfg.version.groups] == [
        (["@acme/cli-darwin-arm64", "@acme/cli-linux-x64", "@acme/tool"], "@acme/tool@{version}")
    ]
    assert cfg.version.exclude == []  # the parser is tagged on its own
    assert cfg.version.tag_formats == {"parser": "parser/v{version}"}
    agree = _agreement(repo)
    assert agree["tag"] == 4 and agree["version"] == 3  # the first release: its own choice


def test_products_tagged_with_their_own_prefixes(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["apps/*", "crates/*"]\n')
    lint, fmt = "1.10.0", "0.30.0"
    for round_ in range(3):
        _crate(repo, "apps/lint", "lint", lint)
        _crate(repo, "crates/lint_core", "lint_core", lint)
        _npm(repo, "npm/lint", "lint-npm", lint)
        _crate(repo, "apps/fmt", "fmt", fmt)
        _npm(repo, "npm/fmt", "fmt-npm", fmt)
        app = {"name": "lint-app", "version": lint, "private": True}  # bumped, not published
        repo.write("apps/lint/package.json", json.dumps(app, indent=2) + "\n")
        # Each member's changelog gets a section when the member changed (the first release:
        # every one); the fmt product has one changelog.
        for path in ["crates/lint_core/CHANGELOG.md", *(["apps/lint/CHANGELOG.md"] * (not round_))]:
            _section(repo, path, lint)
        _section(repo, "apps/fmt/CHANGELOG.md", fmt)
        _release(repo, f"release(apps): lint v{lint} && fmt v{fmt}", f"lint_v{lint}", f"fmt_v{fmt}")
        repo.commit("feat(lint): a rule", file="crates/lint_core/src/rule.rs")
        repo.commit("feat(fmt): an option", file="apps/fmt/src/option.rs")
        lint, fmt = f"1.{11 + round_}.0", f"0.{31 + round_}.0"
    init(repo.path)
    cfg = config.load(repo.path)
    assert cfg.version.mode == "independent"
    assert sorted((g.tag_format or "", g.packages) for g in cfg.version.groups) == [
        ("fmt_v{version}", ["fmt", "fmt-npm"]),
        ("lint_v{version}", ["lint", "lint-npm", "lint_core"]),
    ]
    extra = [(e.path, e.search, e.package) for e in cfg.manifests.extra]
    assert extra == [("apps/lint/package.json", '"version": "{version}"', "lint")]
    agree = _agreement(repo)
    assert agree["tag"] == 2 and agree["version"] == 2 and agree["files"] == 2


def test_followers_move_with_their_group_at_their_own_versions(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    for round_ in range(3):
        version, own = f"0.{5 + round_}.0", f"0.0.{10 + round_}"
        _crate(repo, "crates/tool", "tool", version)
        _crate(repo, "crates/tool-build", "tool-build", version)
        repo.write("crates/tool/README.md", f"tool version {version} (https://x/{version})\n")
        for follower in ("tool-cache", "tool-fs"):  # bumped by a patch, never tagged
            _crate(repo, f"crates/{follower}", follower, own)
            note = (
                f"This version ({own}) is a component of [tool {version}](https://x/{version}).\n"
            )
            repo.write(f"crates/{follower}/README.md", note)
        _release(repo, f"Bump version to {version}", version)
        repo.commit("feat: a flag", file="crates/tool/src/flag.rs")
        repo.commit("fix: a cache key", file="crates/tool-cache/src/key.rs")
    init(repo.path)
    cfg = config.load(repo.path)
    ((group),) = cfg.version.groups
    assert (group.packages, group.tag_format) == (["tool", "tool-build"], "{version}")
    assert group.followers == ["tool-cache", "tool-fs"]
    assert cfg.version.exclude == []
    # each follower's README states its own version beside the group's, which moves alone
    assert [(e.path, e.search, e.package) for e in cfg.manifests.extra] == [
        ("crates/tool/README.md", "tool version {version} (https://x/", "tool"),  # cut there
        *(
            (f"crates/{f}/README.md", "This version ({version}) is a component of [tool ", f)
            for f in ("tool-cache", "tool-fs")
        ),
    ]
    result = replay(repo.path, last=10)
    summary = result.summary()
    assert summary["agree"]["version"] == summary["agree"]["tag"] == 2
    assert not summary["differences"].get("defect")
    (last,) = [r for r in result.releases if r.theirs_tags["tool"] == "0.7.0"]
    assert last.ours_versions["tool-fs"] == last.theirs_versions["tool-fs"] == "0.0.12"


def test_only_the_manifests_asked_about_are_read(repo: Repo) -> None:
    # alacritty: no manifest to ask about made the diff read every file (Cargo.lock too).
    from release.commands.init_groups import _stating
    from release.tools.git import Git

    repo.write("Cargo.lock", 'version = "0.2.0"\n')
    commit = repo.commit("chore: release", file="Cargo.lock")
    assert _stating(Git(repo.path), commit, {}) == {}

"""Where the config is read from: release-toolkit.toml first, a release.toml of ours, pyproject
tables; and a cargo-release config beside it (its release.toml or Cargo.toml metadata), which
is never read as ours but lends what maps as defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.settings.config import load
from release.core.settings.config_files import notes, table_in

# Shaped like a cargo-release user's workspace file (the keys clash with nothing of ours).
CARGO_RELEASE_TOML = """\
allow-branch = ["main", "release/*", "!HEAD"]
sign-commit = true
consolidate-commits = true
shared-version = true
tag-name = "v{{version}}"
pre-release-commit-message = "chore: Release {{crate_name}} version {{version}}"
pre-release-replacements = [
  { file = "CHANGELOG.md", search = "Unreleased", replace = "{{version}}" },
]
"""
CARGO_TOML = '[package]\nname = "tool"\nversion = "0.44.1"\n'


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text)
    return path


def test_our_own_file_is_read_before_release_toml(tmp_path: Path) -> None:
    write(tmp_path, "release.toml", '[git]\nbranch = "old"\n')
    ours = write(tmp_path, "release-toolkit.toml", '[git]\nbranch = "trunk"\n')
    cfg = load(tmp_path)
    assert cfg.git.branch == "trunk" and cfg.source == ours


def test_a_release_toml_of_ours_is_still_read(tmp_path: Path) -> None:
    write(tmp_path, "release.toml", '[version]\ntag_format = "rel-{version}"\n')
    cfg = load(tmp_path)
    assert cfg.version.tag_format == "rel-{version}" and notes(tmp_path) == []


def test_tool_release_toolkit_wins_over_tool_release(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        '[tool.release.git]\nremote = "a"\n\n[tool.release-toolkit.git]\nremote = "b"\n',
    )
    cfg = load(tmp_path)
    assert cfg.source is not None and table_in(cfg.source) == ("tool", "release-toolkit")
    assert cfg.git.remote == "b"


def test_cargo_release_toml_lends_its_defaults(tmp_path: Path) -> None:
    write(tmp_path, "Cargo.toml", CARGO_TOML)
    write(tmp_path, "release.toml", CARGO_RELEASE_TOML)
    cfg = load(tmp_path)  # no "unknown key 'allow-branch'"
    assert cfg.git.branches == ["main", "release/*"]
    assert cfg.version.tag_format == "v{version}"
    assert cfg.git.commit_message == "chore: Release tool version {version}"
    assert cfg.version.mode == "lockstep"  # shared-version = true
    [note] = notes(tmp_path)
    assert "release.toml is cargo-release's config" in note
    assert "allow-branch" in note and "release-toolkit.toml" in note
    assert "not taken (no counterpart): sign-commit" in note


def test_our_config_overrides_what_cargo_release_lends(tmp_path: Path) -> None:
    write(tmp_path, "Cargo.toml", CARGO_TOML)
    write(tmp_path, "release.toml", CARGO_RELEASE_TOML)
    write(tmp_path, "release-toolkit.toml", '[git]\nbranch = "trunk"\n')
    cfg = load(tmp_path)
    assert cfg.git.branch == "trunk"  # ours
    assert cfg.version.tag_format == "v{version}"  # cargo-release's, not set by ours


def test_cargo_metadata_release_with_crate_prefixed_tags(tmp_path: Path) -> None:
    write(
        tmp_path,
        "Cargo.toml",
        '[workspace]\nmembers = ["crates/*"]\n\n[workspace.metadata.release]\n'
        'tag-prefix = "{{crate_name}}-"\npush = false\npre-release-commit-message = '
        '"release {{prev_version}} -> {{version}} on {{date}}"\n',
    )
    cfg = load(tmp_path)
    assert cfg.version.package_tag_format == "{name}-v{version}"  # {{prefix}}v{{version}}
    assert cfg.git.push is False
    assert cfg.git.commit_message == "chore(release): {tag}"  # {{date}} has no match
    [note] = notes(tmp_path)
    assert "not taken (no counterpart): pre-release-commit-message" in note
    assert "Cargo.toml [*.metadata.release]" in note


def test_cargo_release_previous_version_becomes_ours(tmp_path: Path) -> None:
    write(
        tmp_path,
        "release.toml",
        'pre-release-commit-message = "chore: release {{prev_version}} -> {{version}}"\n',
    )
    cfg = load(tmp_path)
    assert cfg.git.commit_message == "chore: release {previous_version} -> {version}"


def test_literal_braces_in_a_cargo_release_message_are_kept(tmp_path: Path) -> None:
    write(tmp_path, "release.toml", 'tag-message = "{crate} {{version}}"\n')
    assert load(tmp_path).git.tag_message.format(tag="t", version="1.0.0") == "{crate} 1.0.0"


def test_a_release_toml_with_both_tools_keys_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "release.toml", 'allow-branch = ["main"]\n[git]\nbranch = "main"\n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert "allow-branch" in err.value.message and "git" in err.value.message
    assert "release-toolkit.toml" in (err.value.hint or "")
    assert (err.value.where or "").endswith("release.toml:2")  # the first section of ours


def test_an_unknown_key_in_our_release_toml_is_still_reported(tmp_path: Path) -> None:
    write(tmp_path, "release.toml", '[gti]\nbranch = "main"\n')
    with pytest.raises(ConfigError) as err:
        load(tmp_path)
    assert "gti" in err.value.message


@pytest.mark.parametrize(
    ("cargo_toml", "key", "expected"),
    [
        ('[workspace]\nmembers = ["a"]\n', "package_tag_format", "{name}-v{version}"),
        ('[package]\nname = "tool"\nversion = "1.0.0"\n', "tag_format", "v{version}"),
    ],
)
def test_cargo_releases_default_prefix(
    tmp_path: Path, cargo_toml: str, key: str, expected: str
) -> None:
    """{{prefix}} unset: the members of a virtual workspace are tagged `crate-v1.0.0`, a root
    crate `v1.0.0`, as cargo-release does."""
    write(tmp_path, "Cargo.toml", cargo_toml)
    write(tmp_path, "release.toml", 'tag-name = "{{prefix}}v{{version}}"\n')
    assert getattr(load(tmp_path).version, key) == expected

"""What `release init` writes: the config text, with what it detected and learned, and the
project's own workflows that already run on a pushed tag."""

from __future__ import annotations

import json
from pathlib import Path

from release.commands import init_groups_learned as init_groups
from release.commands import init_learned as learned
from release.commands.init_detect import Detected

OUR_HEADER = "# Written by `release init` (release-toolkit)"


def theirs(found: Detected) -> list[str]:
    """The project's own workflows that run on a pushed tag (release-toolkit's are not)."""
    return [
        w.path
        for w in found.workflows
        if "tag" in w.trigger
        and not (found.root / w.path).read_text("utf-8").startswith(OUR_HEADER)
    ]


def detected_lines(found: Detected) -> list[str]:
    layout, rel = found.layout, found.rel
    items = [
        f"name {found.name!r} (from {found.name_from})",
        f"branch {found.branch!r} ({found.branch_from})",
        f"tags like {found.tag_format!r}, the last release {found.last_tag or 'none yet'}"
        if not found.packages
        else f"{len(found.packages)} packages versioned on their own, tags like "
        f"{found.package_tag_format!r}: {', '.join(found.packages)}",
        f"Cargo workspace {rel(layout.cargo)}" if layout.cargo else None,
        *(f"Python package {rel(p)}" for p in layout.python),
        *(f"npm package {rel(p)}" for p in found.npm),
        *(f"Homebrew formula {rel(p)}" for p in layout.formulas),
        "Dockerfile" if layout.dockerfile else None,
        f"changelog {found.changelog} ({found.changelog_format})" if found.changelog else None,
        f"licences {', '.join(found.licences)}" if found.licences else "no licence file",
        *learned.learned_lines(found),
        *(f"from the release tags: {line}" for line in init_groups.found_lines(found.groups)),
    ]
    return [item for item in items if item]


def _npm(found: Detected) -> str:
    if found.packages:  # every package.json that is not private is a package of its own
        return "# npm = []                   # package.json packages: those not private\n"
    return f"npm = {_list([found.rel(p) for p in found.npm])}\n"


def _list(paths: list[str]) -> str:
    return "[" + ", ".join(json.dumps(p) for p in paths) + "]"


def _changelog_section(found: Detected) -> str:
    path = json.dumps(found.changelog or "CHANGELOG.md")
    config = json.dumps(found.cliff_config or "cliff.toml")
    section = (
        f"[changelog]\npath = {path}\nconfig = {config}           # git-cliff's configuration\n"
    )
    section += learned.learned_line(
        "package_paths", found.learned.changelogs, "their releases' changelog"
    )
    section += learned.no_changelog_line(found) + learned.also_line(found)
    if found.changelog_format == "text":
        section += (
            f"enabled = false                # {found.changelog} is plain text, which the\n"
            "                               # template does not write: give it one first\n"
        )
    elif found.changelog_format == "rst" and found.cliff_config:
        section += (  # ours is written only when the project has none
            "# a .rst changelog wants a reStructuredText template: release-toolkit's is\n"
            "# release/data/cliff-rst.toml (`release verify` says when the markup differs)\n"
        )
    return section


def _version_mode(found: Detected) -> str:
    """Lockstep: the tag format in use. Independent: the mode and the packages' tag style,
    and the packages tagged in a style of their own (the main crate's `v1.48.0`)."""
    if not found.packages:
        return f"tag_format = {json.dumps(found.tag_format)}\n"
    own = {n: f for n, f in found.learned.tag_formats.items() if n not in found.groups.members}
    formats = learned.learned_line("tag_formats", own, "as their releases are tagged")
    why = (
        "the packages state different versions"
        if len(set(found.groups.formats)) < 2
        else "its releases go by groups"
    )
    return (
        f'mode = "independent"           # {why}\n'
        f"package_tag_format = {json.dumps(found.package_tag_format)}  # as their tags are\n"
        f"{formats}{init_groups.exclude_line(found.groups)}"
        + (
            ""
            if found.groups.groups
            else '# groups = [{ packages = ["tool", "tool-py"] }]  # released together, one version'
            "\n"
        )
    )


def release_toml(found: Detected) -> str:
    tag_trigger = bool(theirs(found)) and not found.packages  # independent: cut locally
    mode = (
        '"tag-trigger"                  # the pushed tag starts '
        + ", ".join(Path(p).name for p in theirs(found))
        if tag_trigger
        else '"local"                      # "tag-trigger": a cut tags and pushes; CI does the rest'
        if not found.packages
        else '"local"                      # independent versions are cut and published locally'
    )
    include = [p for p in [found.readme, *found.licences] if p]
    detected = "\n".join(f"#   - {item}" for item in detected_lines(found))
    message = json.dumps(found.commit_message or "chore(release): {tag}")
    if found.learned.commit_message:
        message += "  # as the last release commits say"
    elif found.commit_message:
        message += f"  # as {found.last_tag}'s commit said"
    image = json.dumps(f"ghcr.io/OWNER/{found.name.lower().lstrip('@').replace('/', '-')}")
    return f"""# release-toolkit configuration, written by `release init` beside the project's own
# files. Every key is optional; the values are the defaults or what init found:
{detected}

[project]
name = {json.dumps(found.name)}

[version]
{_version_mode(found)}initial = "0.1.0"              # the first release when no tag exists yet
breaking = "major"             # a `feat!:` or a BREAKING CHANGE footer
breaking_while_zero = "minor"  # ... while the version is 0.x

[version.bump]                 # conventional commit type -> bump; other types do not release
feat = "minor"
fix = "patch"
perf = "patch"
{init_groups.groups_toml(found.groups)}
[git]
branch = {json.dumps(found.branch)}
remote = "origin"
commit_message = {message}
tag_message = "Release {{tag}}"
# signing_key = "ABCDEF0123456789"   # sign tags with this GPG key
mode = {mode}

{_changelog_section(found)}
[manifests]                    # where the version is written
{learned.manifests_section(found, _npm(found))}# [[manifests.extra]]
# path = "docs/conf.py"
# search = 'release = "{{version}}"'

[build]                        # what `release build` (and a local cut) makes in dist/
include = {_list(include)}     # beside each binary in its archive
# targets = []                 # target triples; the host's when empty
# python = true                # wheels and sdists
# sbom = true                  # CycloneDX SBOMs

# [sign]                       # GPG_PRIVATE_KEY and GPG_PASSPHRASE, or a key of your keyring
# key = "ABCDEF0123456789"

# [crates]                     # CARGO_REGISTRY_TOKEN
# registry = "my-registry"     # a name from .cargo/config.toml; crates.io when unset

# [pypi]                       # PYPI_API_TOKEN, or TWINE_USERNAME and TWINE_PASSWORD
# repository_url = "https://upload.pypi.org/legacy/"

# [docker]                     # DOCKER_USERNAME and DOCKER_PASSWORD (ghcr.io: GITHUB_TOKEN)
# image = {image}
# images = [...]               # the same image on several registries, instead of image
# source = "sha-{{short_commit}}"  # the tag CI pushed; retagged without moving layers

# [github]                     # GITHUB_TOKEN; the repository comes from the git remote
# repository = "owner/name"

# [homebrew]                   # HOMEBREW_TAP_TOKEN
# tap = "https://github.com/OWNER/homebrew-tap.git"

# [slack]                      # SLACK_WEBHOOK_URL: an incoming webhook
# enabled = true
# [email], [discord], [teams], [mastodon]: docs/registries.md, "Announcers"
"""

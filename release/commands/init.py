"""`release init`: release-toolkit.toml beside the project's own files, never over them.

What a repository already has stays as it is: its cliff.toml, its workflows, its release config
(ours, or cargo-release's release.toml: what maps of it is written into ours).
Where a workflow of the project already runs on a pushed tag, the config says `mode =
"tag-trigger"` (a cut prepares, tags and pushes; that workflow publishes as before) and the
release workflow is only written on request, under a name that is free (`--workflow FILE`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from release.commands import init_learned as learned
from release.commands.init_detect import Detected, detect_all
from release.commands.results import InitResult
from release.core import config_files
from release.core.errors import BadInput
from release.tools import cliff

OUR_WORKFLOW = ".github/workflows/release.yml"
OUR_HEADER = "# Written by `release init` (release-toolkit)"


def workflow(version: str, *, pull_request: bool = False) -> str:
    """The release.yml template (or with `pull_request` the release pull request's,
    release-pr-workflow.yml), installing this very version of release-toolkit."""
    name = "release-pr-workflow.yml" if pull_request else "release-workflow.yml"
    template = Path(__file__).resolve().parent.parent / "data" / name
    return template.read_text("utf-8").replace("{toolkit_version}", version)


def _theirs(found: Detected) -> list[str]:
    """The project's own workflows that run on a pushed tag (release-toolkit's are not)."""
    return [
        w.path
        for w in found.workflows
        if "tag" in w.trigger
        and not (found.root / w.path).read_text("utf-8").startswith(OUR_HEADER)
    ]


def init(
    root: Path,
    *,
    print_only: bool = False,
    workflow_to: str | None = None,
    pull_request: bool = False,
) -> InitResult:
    from release import __version__

    if pull_request and workflow_to is None:
        raise BadInput(
            "--pr names the release pull request's workflow: say where to write it",
            hint="release init --pr --workflow .github/workflows/release-pr.yml (- prints it)",
        )
    found = detect_all(root)
    result = InitResult(detected=_detected(found))
    existing = config_files.find(root)
    text = with_borrowed(release_toml(found), existing.borrowed)
    result.kept += existing.notes
    config = root / config_files.OUR_FILE
    if print_only:
        result.printed = text
    elif existing.path is not None:
        name = existing.path.name
        if workflow_to is None:
            where = name if not existing.table else f"[{'.'.join(existing.table)}] in {name}"
            raise BadInput(
                f"{where} already exists: release init never overwrites it",
                hint="`release init --print` shows what init would write now; merge by hand",
            )
        result.kept.append(f"kept {name}")
    else:
        _write(config, text, result)
        if found.cliff_config is None and not _cliff_elsewhere(root):
            result.written.append(root / "cliff.toml")
            rst = found.changelog_format == "rst"
            template = cliff.rst_config() if rst else cliff.default_config()
            shutil.copyfile(template, root / "cliff.toml")
        result.kept += learned.replay_summary(root, found)
    result.notes += [
        f"warning: {path} states the version {found.learned_version} and is in no manifest: "
        "a release would leave it behind (add it under [manifests])"
        for path in found.learned.unlisted
    ]
    if found.cliff_config:
        result.kept.append(f"kept {found.cliff_config}: the project's own git-cliff config")
    text = workflow(__version__, pull_request=pull_request)
    _workflow(found, workflow_to, text, result, print_only=print_only)
    return result


def _write(path: Path, text: str, result: InitResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never over an existing file
        handle.write(text)
    result.written.append(path)


def with_borrowed(text: str, borrowed: dict[str, dict[str, Any]]) -> str:
    """`text` with the values taken from cargo-release's config in place of init's own."""
    lines, section = text.splitlines(keepends=True), ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line.split("]")[0].strip("[")
        key = line.split("=")[0].strip() if "=" in line and not line.startswith("#") else ""
        if key in borrowed.get(section, {}):
            value = json.dumps(borrowed[section][key])
            lines[i] = f"{key} = {value}  # as cargo-release's config says\n"
    return "".join(lines)


def _cliff_elsewhere(root: Path) -> bool:
    """git-cliff also reads [tool.git-cliff] in pyproject.toml and Cargo's metadata table."""
    files = [root / "pyproject.toml", root / "Cargo.toml"]
    return any("git-cliff]" in p.read_text("utf-8") for p in files if p.is_file())


def _workflow(
    found: Detected, to: str | None, text: str, result: InitResult, *, print_only: bool
) -> None:
    theirs = _theirs(found)
    for w in found.workflows:
        result.kept.append(f"kept {w.path}: it runs on {w.trigger}")
    if to == "-":
        result.printed = text
    elif to is not None:
        target = found.root / to
        if target.exists():
            raise BadInput(f"{to} already exists", hint="init never overwrites: name a free file")
        _write(target, text, result)
    elif print_only:
        return
    elif found.packages:
        result.kept.append(
            "release-toolkit's workflow was not added: it builds and publishes one tag of the "
            "whole repository, and independent packages are cut and published by `release cut`"
        )
        return
    elif theirs or (found.root / OUR_WORKFLOW).exists():
        listed = ", ".join(Path(p).name for p in theirs) or OUR_WORKFLOW
        takes = "take" if len(theirs) > 1 else "takes"
        result.kept += [
            f'{config_files.OUR_FILE} says mode = "tag-trigger": `release cut` writes the '
            f"changelog and the versions, commits, tags and pushes; {listed} {takes} over from "
            "the tag as before",
            "release-toolkit's own workflow was not added. To let it build and publish instead: "
            "`release init --workflow .github/workflows/release-toolkit.yml`, then remove the "
            f"tag trigger from {listed} (or both publish on the same tag)",
        ]
        return
    else:
        _write(found.root / OUR_WORKFLOW, text, result)
    if theirs and to not in (None, "-"):
        result.kept.append(
            f"{to} runs on a pushed tag, as {', '.join(Path(p).name for p in theirs)} do(es): "
            "leave the tag trigger in only one workflow that publishes"
        )


def _detected(found: Detected) -> list[str]:
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
    section += learned.no_changelog_line(found)
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
    formats = learned.learned_line(
        "tag_formats", found.learned.tag_formats, "as their releases are tagged"
    )
    return (
        'mode = "independent"           # the packages state different versions\n'
        f"package_tag_format = {json.dumps(found.package_tag_format)}  # as their tags are\n"
        f"{formats}"
        '# groups = [{ packages = ["tool", "tool-py"] }]  # released together, one version\n'
    )


def release_toml(found: Detected) -> str:
    tag_trigger = bool(_theirs(found)) and not found.packages  # independent: cut locally
    mode = (
        '"tag-trigger"                  # the pushed tag starts '
        + ", ".join(Path(p).name for p in _theirs(found))
        if tag_trigger
        else '"local"                      # "tag-trigger": a cut tags and pushes; CI does the rest'
        if not found.packages
        else '"local"                      # independent versions are cut and published locally'
    )
    include = [p for p in [found.readme, *found.licences] if p]
    detected = "\n".join(f"#   - {item}" for item in _detected(found))
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

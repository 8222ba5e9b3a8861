"""`release init`: release.toml (commented, with what was detected) and cliff.toml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from release.commands.results import InitResult
from release.core.config import Config
from release.core.errors import BadInput
from release.core.layout import detect
from release.tools import cliff

DOCKER = """
# [docker]                     # DOCKER_USERNAME and DOCKER_PASSWORD
# image = {image}
# source = "sha-{{short_commit}}"  # the tag CI pushed; retagged without moving layers
# tags = ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"]
"""

HOMEBREW = """
# [homebrew]                   # HOMEBREW_TAP_TOKEN
# formula = "formulas/NAME.rb"
# tap = "https://github.com/OWNER/homebrew-tap.git"
# pull_request = false         # true: a branch and a pull request on tap_repository
# tap_repository = "OWNER/homebrew-tap"
"""


def release_toml(root: Path) -> str:
    layout = detect(root, Config())

    def rel(path: Path) -> str:
        return json.dumps(str(path.relative_to(root)))

    cargo = rel(layout.cargo) if layout.cargo else '""'
    python = ", ".join(rel(p) for p in layout.python)
    version_files = ", ".join(rel(p) for p in layout.version_files)
    found = [
        f"Cargo workspace {rel(layout.cargo)}" if layout.cargo else None,
        *(f"Python package {rel(p)}" for p in layout.python),
        *(f"Homebrew formula {rel(p)}" for p in layout.formulas),
        "Dockerfile" if layout.dockerfile else None,
    ]
    detected = "\n".join(f"#   - {item}" for item in found if item) or "#   (nothing)"
    docker = DOCKER.format(image=json.dumps(f"ghcr.io/OWNER/{root.name.lower()}"))
    homebrew = HOMEBREW
    if layout.formulas:
        formula = json.dumps(str(layout.formulas[0].relative_to(root)))
        homebrew = HOMEBREW.replace('# formula = "formulas/NAME.rb"', f"# formula = {formula}")
    return f"""# release-toolkit configuration. Every key is optional; the values shown are the
# defaults or what `release init` detected in this project:
{detected}

[project]
name = {json.dumps(root.name)}

[version]
tag_format = "v{{version}}"     # tags look like v1.2.0; "mypkg-{{version}}" for monorepos
initial = "0.1.0"              # the first release when no tag exists yet
breaking = "major"             # a `feat!:` or a BREAKING CHANGE footer
breaking_while_zero = "minor"  # ... while the version is 0.x

[version.bump]                 # conventional commit type -> bump; other types do not release
feat = "minor"
fix = "patch"
perf = "patch"

[git]
branch = "main"                # releases are cut from this branch (or a list of branches)
remote = "origin"
commit_message = "chore(release): {{tag}}"
tag_message = "Release {{tag}}"
# signing_key = "ABCDEF0123456789"   # sign tags with this GPG key
push = true
mode = "local"                 # "tag-trigger": a cut tags and pushes; release.yml does the rest

[changelog]
path = "CHANGELOG.md"
config = "cliff.toml"          # git-cliff configuration; the built-in one when missing

[manifests]                    # where the version is written
cargo = {cargo}
python = [{python}]
version_files = [{version_files}]
# [[manifests.extra]]
# path = "docs/conf.py"
# search = 'release = "{{version}}"'

# [build]                      # what `release build` (and a cut) makes in dist/
# dist = "dist"
# targets = []                 # target triples; the host's when empty
# zigbuild = false             # cross-compile through cargo-zigbuild
# include = ["README.md", "LICENSE"]
# python = true                # wheels and sdists
# sbom = true                  # CycloneDX SBOMs

# [sign]                       # GPG_PRIVATE_KEY and GPG_PASSPHRASE, or a key of your keyring
# key = "ABCDEF0123456789"

# [crates]                     # CARGO_REGISTRY_TOKEN
# registry = "my-registry"     # a name from .cargo/config.toml; crates.io when unset

# [pypi]                       # PYPI_API_TOKEN, or TWINE_USERNAME and TWINE_PASSWORD
# repository_url = "https://upload.pypi.org/legacy/"
# index_url = "https://pypi.org/simple/"
{docker}
# [github]                     # GITHUB_TOKEN; the repository comes from the git remote
# repository = "owner/name"
{homebrew}
# [slack]                      # SLACK_WEBHOOK_URL: an incoming webhook
# enabled = true               # warn when the webhook is missing (default: only when set)
"""


def workflow(version: str) -> str:
    """The release.yml template, installing this very version of release-toolkit."""
    template = (Path(__file__).resolve().parent.parent / "data" / "release-workflow.yml").read_text(
        "utf-8"
    )
    return template.replace("{toolkit_version}", version)


def write_init(root: Path, *, force: bool) -> list[Path]:
    from release import __version__

    workflow_path = root / ".github" / "workflows" / "release.yml"
    targets = [root / "release.toml", root / "cliff.toml", workflow_path]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        names = ", ".join(str(p.relative_to(root)) for p in existing)
        raise BadInput(f"{names} already exist(s)", hint="pass --force to overwrite")
    targets[0].write_text(release_toml(root), encoding="utf-8")
    shutil.copyfile(cliff.default_config(), targets[1])
    workflow_path.parent.mkdir(parents=True, exist_ok=True)
    workflow_path.write_text(workflow(__version__), encoding="utf-8")
    return targets


def init(root: Path, *, force: bool) -> InitResult:
    """`release init`: the files written, for the renderer."""
    return InitResult(write_init(root, force=force))

"""`release init`: release.toml (commented, with what was detected) and cliff.toml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from release.config import Config
from release.errors import BadInput
from release.layout import detect
from release.tools import cliff


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
"""


def write_init(root: Path, *, force: bool) -> list[Path]:
    targets = [root / "release.toml", root / "cliff.toml"]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing)
        raise BadInput(f"{names} already exist(s)", hint="pass --force to overwrite")
    targets[0].write_text(release_toml(root), encoding="utf-8")
    shutil.copyfile(cliff.default_config(), targets[1])
    return targets

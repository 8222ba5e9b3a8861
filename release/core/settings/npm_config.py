"""The `[npm]` section: which packages go to which npm registry, and how."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from release.core.settings.config_names import package_name

_STRICT = {"extra": "forbid", "strict": True}
# npm's rules for a package name (validate-npm-package-name), scope included.
_NAME = re.compile(r"^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$")


@dataclass
class NpmConfig:
    __pydantic_config__ = _STRICT

    # "binaries": one package per target generated from the built archives, and a main
    # package that depends on them; "package-json": the project's own package.json files.
    # None: nothing goes to npm (opt-in: a package.json is bumped either way).
    shape: Literal["binaries", "package-json"] | None = None
    registry: str = "https://registry.npmjs.org/"
    # shape = "binaries": the main package's name ("@acme/tool"); None: the binary's name.
    name: str | None = None
    binary: str | None = None  # the binary to ship; None: the only one the build makes
    launcher: str | None = None  # the project's own launcher script, instead of the generated
    access: Literal["public", "restricted"] = "public"
    provenance: bool = True  # `--provenance` where npm can sign it (GitHub Actions with OIDC)
    retries: int = 3  # attempts per package on a transient registry failure
    # Independent versions, shape = "binaries": the package whose release publishes them;
    # None: the one `[build] package` names. ("package-json": each npm package on its own tag.)
    package: str | None = None

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^/\s]+", self.registry):
            raise ValueError(f"registry: {self.registry!r} is not an http(s) URL")
        if self.name is not None and not _NAME.match(self.name):
            raise ValueError(
                f"name: {self.name!r} is not an npm package name (lowercase, an optional "
                '"@scope/" first)'
            )
        package_name("package", self.package)
        if self.retries < 1:
            raise ValueError("retries: must be 1 or more")

"""What an npm registry says about a package (its packument: every version's tarball
integrity and the dist-tags), and which dist-tag a new version gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import semver

from release.base import secrets
from release.base.versioning import Version
from release.remote.net import Http, RetryPolicy, Service


@dataclass(frozen=True)
class Packument:
    name: str
    integrity: dict[str, str] = field(default_factory=dict)  # version -> dist.integrity
    tags: dict[str, str] = field(default_factory=dict)  # dist-tag -> version


def package_url(registry: str, name: str) -> str:
    return registry.rstrip("/") + "/" + name.replace("/", "%2f")  # a scoped name's slash


class Registry:
    def __init__(self, url: str, policy: RetryPolicy | None = None) -> None:
        self.url = url
        token = secrets.get("NPM_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # The abbreviated packument (what npm install reads) carries dist and dist-tags.
        headers["Accept"] = "application/vnd.npm.install-v1+json; q=1.0, application/json"
        self.http = Http(Service("the npm registry", "NPM_TOKEN"), headers=headers, policy=policy)

    def packument(self, name: str) -> Packument:
        response = self.http.request("GET", package_url(self.url, name), expect=(404,))
        if response.status_code == 404:
            return Packument(name)
        data: dict[str, Any] = response.json()
        versions = data.get("versions") or {}
        integrity = {
            version: str((meta.get("dist") or {}).get("integrity", ""))
            for version, meta in versions.items()
            if isinstance(meta, dict)
        }
        return Packument(name, integrity, dict(data.get("dist-tags") or {}))

    def collaborators(self, name: str) -> dict[str, str] | None:
        """user -> "read-write" or "read-only", where the registry says (npmjs); else None."""
        url = f"{self.url.rstrip('/')}/-/package/{name.replace('/', '%2f')}/collaborators"
        response = self.http.request("GET", url, expect=(401, 403, 404, 405))
        if response.status_code != 200:
            return None
        data = response.json()
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None


def dist_tag(version: Version, tags: dict[str, str]) -> str:
    """`latest` never moves backwards: a prerelease goes under its label (`rc`), a release
    older than the current `latest` under its line (`latest-1` for an older major,
    `latest-1.4` for an older minor of the same major); otherwise `latest`."""
    if version.prerelease:
        label = version.prerelease.split(".")[0]
        return label if not label[0].isdigit() else "next"  # "1.0.0-1": no label
    current = tags.get("latest")
    if current is None or not semver.Version.is_valid(current):
        return "latest"
    latest = semver.Version.parse(current)
    if version >= latest:
        return "latest"
    if version.major < latest.major:
        return f"latest-{version.major}"
    return f"latest-{version.major}.{version.minor}"

"""The crates' sparse index, read over HTTP: which versions a registry serves (yanked ones
too), many crates at a time, and where its web API is."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from release.base.errors import ReleaseError
from release.remote.net import Http, RetryPolicy, Service

CRATES_IO_INDEX = "sparse+https://index.crates.io/"
INDEX_READS = 8  # index files asked for at once


def index_path(name: str) -> str:
    """Where the sparse index keeps a crate: 1/a, 2/ab, 3/a/abc, ab/cd/abcd..."""
    n = name.lower()
    if len(n) <= 2:
        return f"{len(n)}/{n}"
    if len(n) == 3:
        return f"3/{n[0]}/{n}"
    return f"{n[:2]}/{n[2:4]}/{n}"


class SparseIndex:
    def __init__(self, url: str, token: str | None, policy: RetryPolicy | None = None) -> None:
        self.url = url.removeprefix("sparse+").rstrip("/") + "/"
        headers = {"Authorization": token} if token else {}
        service = Service("the crate index", "CARGO_REGISTRY_TOKEN")
        self.http = Http(service, headers=headers, policy=policy)

    def versions(self, name: str) -> dict[str, str]:
        """version -> cksum of every published version (yanked ones included)."""
        response = self.http.request("GET", self.url + index_path(name), expect=(404, 410))
        if response.status_code in (404, 410):
            return {}
        lines = [json.loads(line) for line in response.text.splitlines() if line.strip()]
        return {entry["vers"]: entry["cksum"] for entry in lines}

    def versions_of(self, names: list[str]) -> dict[str, dict[str, str]]:
        """`versions` of many crates, asked a few at a time: a 200-crate workspace would
        otherwise wait 200 round trips in a row (cargo, too, reads the index concurrently)."""
        if len(names) <= 1:
            return {name: self.versions(name) for name in names}
        with ThreadPoolExecutor(max_workers=min(INDEX_READS, len(names))) as pool:
            return dict(zip(names, pool.map(self.versions, names), strict=True))

    def reachable(self) -> None:
        self.http.request("GET", self.url + "config.json")

    def api(self) -> str:
        """The web API's root, from the index's config.json (https://crates.io for crates.io)."""
        api = self.http.request("GET", self.url + "config.json").json().get("api")
        if not isinstance(api, str) or not api:
            raise ReleaseError(
                f"the index {self.url} names no web API in its config.json",
                hint="trusted publishing needs the registry's API; set CARGO_REGISTRY_TOKEN",
            )
        return api

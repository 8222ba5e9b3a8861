"""A small client of the OCI distribution API: read a manifest, point a tag at it, list tags.

Retagging copies the manifest (or multi-arch index) bytes to another tag of the same
repository: the registry already has every blob, so no layer moves. Authentication follows
the registry's challenge: Basic, or a Bearer token from the realm it names (Docker Hub,
GHCR, distribution's token auth), asked with DOCKER_USERNAME/DOCKER_PASSWORD when set.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from release.remote.image_name import ImageName
from release.remote.net import Http, HttpError, Service

if TYPE_CHECKING:  # imported where a request is sent: `release verify` may send none
    import httpx

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
ACCEPT = ", ".join(MANIFEST_TYPES)
_CHALLENGE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Manifest:
    body: bytes
    media_type: str
    digest: str


def digest_of(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


class Registry:
    def __init__(
        self,
        image: ImageName,
        *,
        username: str | None = None,
        password: str | None = None,
        insecure: bool = False,
        http: Http | None = None,
        names: tuple[str, str] = ("DOCKER_USERNAME", "DOCKER_PASSWORD"),
    ) -> None:
        self.image = image
        self._names = " and ".join(names)  # the variables the hints name
        self.base = f"{'http' if insecure else 'https'}://{image.registry}"
        self._basic = (
            "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
            if username and password
            else None
        )
        self.http = http or Http(Service(f"the registry {image.registry}", names[1]))
        self._authorization: str | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API -------------------------------------------------------------------------

    def ping(self) -> None:
        """GET /v2/ (authenticated when the registry asks): is it there, are we let in?"""
        self._send("GET", "/v2/")

    def may_push(self) -> bool:
        """Start a blob upload and cancel it (`POST .../blobs/uploads/`, then `DELETE` of the
        upload): the registry says whether these credentials may push, and keeps nothing."""
        response = self._send(
            "POST", self._path("blobs", "uploads/"), expect=(403,), push=True, content=b""
        )
        if response.status_code == 403:
            return False
        location = response.headers.get("location")
        if location:
            url = location if location.startswith("http") else self.base + location
            self._send("DELETE", url, expect=(400, 404, 405), push=True)
        return True

    def manifest(self, reference: str) -> Manifest | None:
        response = self._send(
            "GET", self._path("manifests", reference), headers={"Accept": ACCEPT}, expect=(404,)
        )
        if response.status_code == 404:
            return None
        body = response.content
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        digest = digest_of(body)
        said = response.headers.get("docker-content-digest")
        if said and said != digest:
            raise HttpError(
                f"the registry served {self.image}:{reference} with digest {said}, "
                f"but its bytes hash to {digest}",
                hint="the registry or a proxy altered the manifest; try again",
            )
        return Manifest(body, media_type, digest)

    def digest(self, reference: str) -> str | None:
        found = self.manifest(reference)
        return found.digest if found else None

    def put_manifest(self, tag: str, manifest: Manifest) -> str:
        response = self._send(
            "PUT",
            self._path("manifests", tag),
            content=manifest.body,
            headers={"Content-Type": manifest.media_type},
            push=True,
        )
        said = response.headers.get("docker-content-digest")
        if said and said != manifest.digest:
            raise HttpError(
                f"the registry stored {self.image}:{tag} as {said}, not {manifest.digest}",
                hint="the registry rewrote the manifest; retag with the registry's own tools",
            )
        return manifest.digest

    def blob(self, digest: str) -> bytes:
        """A blob's bytes (an image config), checked against its digest."""
        body = self._send("GET", self._path("blobs", digest)).content
        if digest_of(body) != digest:
            raise HttpError(
                f"the blob {digest} of {self.image} does not hash to its digest",
                hint="the registry or a proxy altered it; try again",
            )
        return body

    def tags(self) -> list[str]:
        found: list[str] = []
        path: str | None = f"/v2/{self.image.repository}/tags/list?n=1000"
        while path:
            response = self._send("GET", path, expect=(404,))
            if response.status_code == 404:
                return []
            found.extend(response.json().get("tags") or [])
            path = _next_link(response)
        return found

    # -- authentication ------------------------------------------------------------------

    def _path(self, kind: str, reference: str) -> str:
        return f"/v2/{self.image.repository}/{kind}/{reference}"

    def _send(
        self,
        method: str,
        path: str,
        *,
        expect: tuple[int, ...] = (),
        headers: dict[str, str] | None = None,
        push: bool = False,
        **kwargs: object,
    ) -> httpx.Response:
        url = path if path.startswith("http") else self.base + path
        for _ in range(3):  # anonymous or stale credentials, then a token for this scope
            sent = dict(headers or {})
            if self._authorization:
                sent["Authorization"] = self._authorization
            response = self.http.request(method, url, expect=(*expect, 401), headers=sent, **kwargs)
            if response.status_code != 401:
                return response
            self._authorization = self._answer(response, push=push)
        raise HttpError(
            f"the registry {self.image.registry} refused our credentials for {self.image}",
            hint=f"check {self._names} (a token that may push there)",
            status=401,
        )

    def _answer(self, response: httpx.Response, *, push: bool) -> str:
        challenge = response.headers.get("www-authenticate", "")
        scheme = challenge.split(" ", 1)[0].lower()
        if scheme == "basic":
            if not self._basic:
                raise HttpError(
                    f"the registry {self.image.registry} needs credentials",
                    hint=f"set {self._names}",
                    status=401,
                )
            return self._basic
        if scheme != "bearer":
            raise HttpError(
                f"the registry {self.image.registry} asks for {scheme or 'no'} authentication",
                hint="only Basic and Bearer token authentication are supported",
                status=401,
            )
        params = dict(_CHALLENGE.findall(challenge))
        actions = "pull,push" if push else "pull"
        scope = params.get("scope") or f"repository:{self.image.repository}:{actions}"
        if push and scope.endswith(":pull"):
            scope += ",push"
        query = {"service": params.get("service", ""), "scope": scope}
        token_headers = {"Authorization": self._basic} if self._basic else {}
        answer = self.http.request("GET", params["realm"], params=query, headers=token_headers)
        data = answer.json()
        token = data.get("token") or data.get("access_token")
        if not token:
            raise HttpError(
                f"the token service of {self.image.registry} gave no token",
                hint=f"check {self._names}",
            )
        from release.base import secrets

        secrets.register(str(token))
        return f"Bearer {token}"


def _next_link(response: httpx.Response) -> str | None:
    """The `Link: <...>; rel="next"` of a paginated tag list."""
    link = response.headers.get("link", "")
    match = re.match(r'\s*<([^>]+)>\s*;\s*rel="?next"?', link)
    return match.group(1) if match else None

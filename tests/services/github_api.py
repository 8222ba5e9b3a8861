"""A loopback GitHub: the REST endpoints of releases, release assets, pull requests and the
token's user, on 127.0.0.1, for the real PyGithub client.

It answers as GitHub's REST documentation describes (API version 2022-11-28):

- `GET /user` (with `X-OAuth-Scopes`), `GET /repos/{owner}/{repo}` (with `permissions`);
- releases: `GET .../releases` (paginated: `per_page`, `page`, a `Link` header), `POST`,
  `GET .../releases/{id}`, `GET .../releases/tags/{tag}` (drafts are not found by tag, as on
  GitHub), `GET .../releases/latest`, `PATCH` and `DELETE .../releases/{id}`; a second
  release of one tag is `422 already_exists`;
- assets: `GET .../releases/{id}/assets`, the upload at the release's `upload_url`
  (`POST /uploads/repos/{owner}/{repo}/releases/{id}/assets?name=&label=`, raw body; a
  taken name is `422 already_exists`), `GET .../releases/assets/{id}` (JSON, or the bytes
  with `Accept: application/octet-stream`), `PATCH` and `DELETE`; each asset carries the
  `digest` GitHub computes (`sha256:...`);
- pull requests: `POST` and `GET /repos/{owner}/{repo}/pulls` (`state`, `head` filters).

Tokens travel as `Authorization: token X` or `Bearer X`. An unknown token is `401 Bad
credentials`; a read-only token may read but its writes are `403 Resource not accessible
by integration`; an unknown repository is `404 Not Found`. A `Faults` object is asked
first about every request (tests/services/faults.py).

    with GithubApi() as github:
        gh = Github(base_url=github.url, auth=Auth.Token(github.token))
        gh.get_repo("acme/demo").create_git_release("v1.0.0", draft=True, ...)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.services.faults import Faults, answer_fault

DEFAULT_TOKEN = "ghp_loopbackTestToken0123456789abcdefABCD"
READ_ONLY_TOKEN = "ghp_loopbackReadOnly0123456789abcdefABCD"
LOGIN = "release-bot"
Json = dict[str, Any]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def json_error(status: int, message: str) -> tuple[bytes, str]:
    return json.dumps({"message": message}).encode(), "application/json; charset=utf-8"


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list[Json] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: Json = {
            "message": message,
            "documentation_url": "https://docs.github.com/rest",
        }
        if errors:
            self.body["errors"] = errors


@dataclass
class Asset:
    id: int
    release_id: int
    name: str
    label: str
    content_type: str
    data: bytes
    created_at: str = field(default_factory=_now)


@dataclass
class Release:
    id: int
    owner: str
    repo: str
    tag_name: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    target_commitish: str
    created_at: str = field(default_factory=_now)
    published_at: str | None = None
    assets: list[Asset] = field(default_factory=list)


@dataclass
class Pull:
    number: int
    title: str
    head: str
    base: str
    body: str
    state: str = "open"


class GithubApi:
    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.read_only_tokens = {READ_ONLY_TOKEN}
        self.faults = Faults()
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self._repos: dict[str, Json] = {}
        self._releases: dict[int, Release] = {}
        self._pulls: dict[str, list[Pull]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> GithubApi:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.api = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> GithubApi:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- state, for tests ----------------------------------------------------------------

    def add_repo(self, owner: str, name: str) -> None:
        with self._lock:
            self._repos[f"{owner}/{name}"] = {"owner": owner, "name": name}

    def releases(self, owner: str, repo: str) -> list[Release]:
        with self._lock:
            return [r for r in self._releases.values() if (r.owner, r.repo) == (owner, repo)]

    def release(self, owner: str, repo: str, tag: str) -> Release | None:
        return next((r for r in self.releases(owner, repo) if r.tag_name == tag), None)

    def pulls(self, owner: str, repo: str) -> list[Pull]:
        with self._lock:
            return list(self._pulls.get(f"{owner}/{repo}", []))

    # -- the API -------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        path = [unquote(p) for p in parts.path.strip("/").split("/") if p]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            token = self._authenticate(headers)
            status, data = self._route(method, path, query, headers, body, token)
        except ApiError as err:
            return err.status, {}, json.dumps(err.body).encode()
        extra = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999"}
        if isinstance(data, bytes):
            return status, {**extra, "Content-Type": "application/octet-stream"}, data
        if isinstance(data, tuple):
            payload, link = data
            extra["Link"] = link
            data = payload
        return status, extra, json.dumps(data).encode() if data is not None else b""

    def _authenticate(self, headers: dict[str, str]) -> str:
        value = headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() not in ("token", "bearer") or token not in (
            {self.token} | self.read_only_tokens
        ):
            raise ApiError(401, "Bad credentials")
        return token

    def _writable(self, token: str) -> None:
        if token in self.read_only_tokens:
            raise ApiError(403, "Resource not accessible by integration")

    def _route(
        self,
        method: str,
        path: list[str],
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        token: str,
    ) -> tuple[int, Any]:
        if path == ["user"] and method == "GET":
            return 200, self._user()
        uploads = path[:1] == ["uploads"]
        if uploads:
            path = path[1:]
        if len(path) < 3 or path[0] != "repos":
            raise ApiError(404, "Not Found")
        full = f"{path[1]}/{path[2]}"
        with self._lock:
            if full not in self._repos:
                raise ApiError(404, "Not Found")
        rest = path[3:]
        if method != "GET":
            self._writable(token)
        if rest == []:
            return 200, self._repo_json(full, token)
        if uploads:
            if len(rest) == 3 and rest[0] == "releases" and rest[2] == "assets":
                return self._upload(full, int(rest[1]), query, headers, body)
            raise ApiError(404, "Not Found")
        if rest[0] == "releases":
            return self._releases_route(method, full, rest[1:], query, headers, body)
        if rest == ["pulls"]:
            return self._pulls_route(method, full, query, body)
        raise ApiError(404, "Not Found")

    def _releases_route(
        self,
        method: str,
        full: str,
        rest: list[str],
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, Any]:
        owner, repo = full.split("/")
        if rest == [] and method == "GET":
            found = sorted(self.releases(owner, repo), key=lambda r: -r.id)
            return 200, self._page(found, query, f"/repos/{full}/releases", self._release_json)
        if rest == [] and method == "POST":
            return 201, self._release_json(self._create(owner, repo, _json(body)))
        if rest == ["latest"] and method == "GET":
            published = [r for r in self.releases(owner, repo) if not r.draft and not r.prerelease]
            if not published:
                raise ApiError(404, "Not Found")
            return 200, self._release_json(max(published, key=lambda r: r.id))
        if len(rest) == 2 and rest[0] == "tags" and method == "GET":
            found = self.release(owner, repo, rest[1])
            if found is None or found.draft:
                raise ApiError(404, "Not Found")
            return 200, self._release_json(found)
        if len(rest) >= 2 and rest[0] == "assets":
            return self._asset_route(method, full, int(rest[1]), headers, body)
        if len(rest) >= 1 and rest[0].isdigit():
            release = self._find(full, int(rest[0]))
            if rest[1:] == ["assets"] and method == "GET":
                return 200, self._page(
                    release.assets,
                    query,
                    f"/repos/{full}/releases/{release.id}/assets",
                    self._asset_json,
                )
            if rest[1:] == [] and method == "GET":
                return 200, self._release_json(release)
            if rest[1:] == [] and method == "PATCH":
                return 200, self._release_json(self._update(release, _json(body)))
            if rest[1:] == [] and method == "DELETE":
                with self._lock:
                    self._releases.pop(release.id, None)
                return 204, None
        raise ApiError(404, "Not Found")

    def _create(self, owner: str, repo: str, data: Json) -> Release:
        tag = data.get("tag_name")
        if not isinstance(tag, str) or not tag:
            raise ApiError(
                422,
                "Validation Failed",
                [{"resource": "Release", "code": "missing_field", "field": "tag_name"}],
            )
        with self._lock:
            if any(
                (r.owner, r.repo, r.tag_name) == (owner, repo, tag) for r in self._releases.values()
            ):
                raise ApiError(
                    422,
                    "Validation Failed",
                    [{"resource": "Release", "code": "already_exists", "field": "tag_name"}],
                )
            release = Release(
                id=next(self._ids),
                owner=owner,
                repo=repo,
                tag_name=tag,
                name=str(data.get("name") or tag),
                body=str(data.get("body") or ""),
                draft=bool(data.get("draft", False)),
                prerelease=bool(data.get("prerelease", False)),
                target_commitish=str(data.get("target_commitish") or "main"),
            )
            if not release.draft:
                release.published_at = _now()
            self._releases[release.id] = release
        return release

    def _update(self, release: Release, data: Json) -> Release:
        with self._lock:
            for key in ("tag_name", "name", "body", "target_commitish"):
                if key in data and data[key] is not None:
                    setattr(release, key, str(data[key]))
            if "prerelease" in data:
                release.prerelease = bool(data["prerelease"])
            if "draft" in data:
                if release.draft and not data["draft"]:
                    release.published_at = _now()
                release.draft = bool(data["draft"])
        return release

    def _find(self, full: str, release_id: int) -> Release:
        with self._lock:
            release = self._releases.get(release_id)
        if release is None or f"{release.owner}/{release.repo}" != full:
            raise ApiError(404, "Not Found")
        return release

    def _upload(
        self,
        full: str,
        release_id: int,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, Any]:
        release = self._find(full, release_id)
        name = query.get("name")
        if not name:
            raise ApiError(422, "Validation Failed", [{"field": "name", "code": "missing"}])
        with self._lock:
            if any(a.name == name for a in release.assets):
                raise ApiError(
                    422,
                    "Validation Failed",
                    [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}],
                )
            asset = Asset(
                id=next(self._ids),
                release_id=release.id,
                name=name,
                label=query.get("label", ""),
                content_type=headers.get("content-type", "application/octet-stream"),
                data=body,
            )
            release.assets.append(asset)
        return 201, self._asset_json(asset)

    def _asset_route(
        self, method: str, full: str, asset_id: int, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        with self._lock:
            found = [
                (r, a)
                for r in self._releases.values()
                for a in r.assets
                if a.id == asset_id and f"{r.owner}/{r.repo}" == full
            ]
        if not found:
            raise ApiError(404, "Not Found")
        release, asset = found[0]
        if method == "GET":
            if "application/octet-stream" in headers.get("accept", ""):
                return 200, asset.data
            return 200, self._asset_json(asset)
        if method == "PATCH":
            data = _json(body)
            with self._lock:
                asset.name = str(data.get("name") or asset.name)
                asset.label = str(data.get("label") or asset.label)
            return 200, self._asset_json(asset)
        if method == "DELETE":
            with self._lock:
                release.assets.remove(asset)
            return 204, None
        raise ApiError(404, "Not Found")

    def _pulls_route(
        self, method: str, full: str, query: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if method == "POST":
            data = _json(body)
            missing = [k for k in ("title", "head", "base") if not data.get(k)]
            if missing:
                raise ApiError(
                    422,
                    "Validation Failed",
                    [{"field": k, "code": "missing_field"} for k in missing],
                )
            with self._lock:
                pulls = self._pulls.setdefault(full, [])
                if any(p.head == data["head"] and p.state == "open" for p in pulls):
                    raise ApiError(
                        422,
                        "Validation Failed",
                        [{"message": f"A pull request already exists for {data['head']}."}],
                    )
                pull = Pull(
                    len(pulls) + 1,
                    data["title"],
                    data["head"],
                    data["base"],
                    str(data.get("body") or ""),
                )
                pulls.append(pull)
            return 201, self._pull_json(full, pull)
        state = query.get("state", "open")
        found = [p for p in self.pulls(*full.split("/")) if state in ("all", p.state)]
        return 200, self._page(
            found, query, f"/repos/{full}/pulls", lambda p: self._pull_json(full, p)
        )

    # -- JSON as GitHub shapes it ---------------------------------------------------------

    def _page(
        self, items: list[Any], query: dict[str, str], path: str, render: Callable[[Any], Json]
    ) -> tuple[list[Json], str] | list[Json]:
        per_page = max(1, min(100, int(query.get("per_page", 30))))
        page = max(1, int(query.get("page", 1)))
        chunk = items[(page - 1) * per_page : page * per_page]
        rendered = [render(item) for item in chunk]
        if page * per_page < len(items):
            link = f'<{self.url}{path}?per_page={per_page}&page={page + 1}>; rel="next"'
            return rendered, link
        return rendered

    def _user(self) -> Json:
        return {"login": LOGIN, "id": 1, "type": "Bot", "url": f"{self.url}/users/{LOGIN}"}

    def _repo_json(self, full: str, token: str) -> Json:
        owner, name = full.split("/")
        writable = token not in self.read_only_tokens
        return {
            "id": abs(hash(full)) % 10**8,
            "name": name,
            "full_name": full,
            "owner": {"login": owner, "id": 2, "type": "Organization"},
            "private": False,
            "html_url": f"https://github.com/{full}",
            "url": f"{self.url}/repos/{full}",
            "default_branch": "main",
            "permissions": {"admin": False, "push": writable, "pull": True},
        }

    def _release_json(self, r: Release) -> Json:
        full = f"{r.owner}/{r.repo}"
        base = f"{self.url}/repos/{full}/releases/{r.id}"
        return {
            "id": r.id,
            "url": base,
            "html_url": f"https://github.com/{full}/releases/tag/{r.tag_name}",
            "assets_url": f"{base}/assets",
            "upload_url": f"{self.url}/uploads/repos/{full}/releases/{r.id}/assets{{?name,label}}",
            "tag_name": r.tag_name,
            "target_commitish": r.target_commitish,
            "name": r.name,
            "body": r.body,
            "draft": r.draft,
            "prerelease": r.prerelease,
            "created_at": r.created_at,
            "published_at": r.published_at,
            "author": self._user(),
            "assets": [self._asset_json(a) for a in r.assets],
        }

    def _asset_json(self, a: Asset) -> Json:
        release = self._releases.get(a.release_id)
        full = f"{release.owner}/{release.repo}" if release else "unknown/unknown"
        tag = release.tag_name if release else ""
        return {
            "id": a.id,
            "url": f"{self.url}/repos/{full}/releases/assets/{a.id}",
            "browser_download_url": f"https://github.com/{full}/releases/download/{tag}/{a.name}",
            "name": a.name,
            "label": a.label,
            "state": "uploaded",
            "content_type": a.content_type,
            "size": len(a.data),
            "digest": "sha256:" + hashlib.sha256(a.data).hexdigest(),
            "download_count": 0,
            "created_at": a.created_at,
            "updated_at": a.created_at,
            "uploader": self._user(),
        }

    def _pull_json(self, full: str, p: Pull) -> Json:
        return {
            "number": p.number,
            "url": f"{self.url}/repos/{full}/pulls/{p.number}",
            "html_url": f"https://github.com/{full}/pull/{p.number}",
            "state": p.state,
            "title": p.title,
            "body": p.body,
            "head": {"ref": p.head, "label": p.head},
            "base": {"ref": p.base, "label": p.base},
        }


def _json(body: bytes) -> Json:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(400, "Problems parsing JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Problems parsing JSON")
    return data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: GithubApi


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        api = self.server.api
        if answer_fault(self, api.faults, error_body=json_error):
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            status, extra, payload = api.handle(self.command, self.path, headers, body)
        except Exception as err:  # a bug here must reach the test as a 500, not a hang
            status, extra, payload = 500, {}, json.dumps({"message": repr(err)}).encode()
        self.send_response(status)
        extra.setdefault("Content-Type", "application/json; charset=utf-8")
        for key, value in extra.items():
            self.send_header(key, value)
        self.send_header("X-OAuth-Scopes", "repo")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture(scope="module")
def github_api_factory() -> Iterator[Callable[..., GithubApi]]:
    """Call it for a fresh GitHub with the repository acme/demo; all stop with the module."""
    made: list[GithubApi] = []

    def make(token: str = DEFAULT_TOKEN) -> GithubApi:
        api = GithubApi(token).start()
        api.add_repo("acme", "demo")
        made.append(api)
        return api

    yield make
    for api in made:
        api.stop()


@pytest.fixture(scope="module")
def github_api(github_api_factory: Callable[..., GithubApi]) -> GithubApi:
    """A GitHub shared by one module's tests (add repositories per test; reset `faults`)."""
    return github_api_factory()

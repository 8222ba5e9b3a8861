"""A loopback GitHub: the REST endpoints of releases, release assets, pull requests and the
token's user, on 127.0.0.1, for the real PyGithub client.

It answers as GitHub's REST documentation describes (API version 2022-11-28):

- `GET /user` (with `X-OAuth-Scopes: repo`), `GET /repos/{owner}/{repo}` (with
  `permissions`; owner and repository names are not case-sensitive, as on GitHub);
- releases: `GET .../releases` (newest first, paginated: `per_page`, `page`, a `Link`
  header), `POST`, `GET .../releases/{id}`, `GET .../releases/tags/{tag}` (drafts are not
  found by tag, as on GitHub), `GET .../releases/latest`, `PATCH` (`draft: false` publishes
  and sets `published_at`) and `DELETE .../releases/{id}`; a second release of one tag is
  `422 Validation Failed` with `already_exists`, as are notes longer than 125,000 characters;
- assets: `GET .../releases/{id}/assets`, the upload at the release's `upload_url`
  (`POST /uploads/repos/{owner}/{repo}/releases/{id}/assets?name=&label=`, raw body and
  `Content-Type`; a taken name is `422 already_exists`), `GET .../releases/assets/{id}`
  (JSON, or the bytes with `Accept: application/octet-stream`, counted in
  `download_count`), `PATCH` and `DELETE`; each asset carries the `digest` GitHub computes
  (`sha256:<hex>`, since June 2025);
- pull requests: `POST` and `GET /repos/{owner}/{repo}/pulls` (`state`, `head` as
  `owner:branch`, `base` filters), `GET` and `PATCH .../pulls/{number}` (`title`, `body`,
  `state`: `closed` closes, `open` reopens), and a pull request's labels as GitHub keeps
  them on its issue: `POST` and `GET .../issues/{number}/labels` (`{"labels": [...]}` or
  the bare array); a
  second open pull request of one head and base is `422`. `merged(owner, repo, number,
  sha)` is what GitHub's merge button does to the pull request (the test makes the merge
  commit in git).

Tokens travel as `Authorization: token X` or `Bearer X`. A missing or unknown token is `401
Bad credentials`; a read-only token (like a fine-grained token with `contents: read`) may
read, does not see drafts, and its writes are `403 Resource not accessible by
integration`; an unknown repository is `404 Not Found`. Errors have GitHub's shape
(`message`, `documentation_url`, `status`, and `errors` for validation). Every answer
carries `X-RateLimit-*` headers counting the requests. A `Faults` object is asked first about
every request (tests/services/faults.py); its request log is `log`. A GitHub rate limit is
`faults.fail(path, status=403, headers={"X-RateLimit-Remaining": "0", ...})`.

PyGithub uploads to the path of `upload_url` on its own `base_url` host, so the upload
endpoint lives under `/uploads/` on the same server (GitHub's is on uploads.github.com).
Assets are served directly (200) rather than through GitHub's 302 to a storage host.

    with GithubApi() as github:
        github.add_repo("acme", "demo")
        gh = Github(base_url=github.url, auth=Auth.Token(github.token))
        gh.get_repo("acme/demo").create_git_release("v1.0.0", draft=True, ...)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from base64 import b64encode
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest

from tests.services.faults import Faults, Seen, answer_fault
from tests.services.loopback import LoopbackServer, service_of

DEFAULT_TOKEN = "ghp_loopbackTestToken0123456789abcdefABCD"
READ_ONLY_TOKEN = "ghp_loopbackReadOnly0123456789abcdefABCD"
LOGIN = "release-bot"
DOCS = "https://docs.github.com/rest"
RATE_LIMIT = 5000
MAX_BODY = 125_000  # GitHub's limit on release notes
Json = dict[str, Any]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _node_id(kind: str, number: int) -> str:
    return b64encode(f"{kind}{number}".encode()).decode()


def _error_json(status: int, message: str, errors: list[Json] | None = None) -> Json:
    body: Json = {"message": message, "documentation_url": DOCS, "status": str(status)}
    if errors:
        body["errors"] = errors
    return body


def json_error(status: int, message: str) -> tuple[bytes, str]:
    """GitHub's error body, for faults injected into this service."""
    return json.dumps(_error_json(status, message)).encode(), "application/json; charset=utf-8"


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list[Json] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = _error_json(status, message, errors)


def _invalid(resource: str, code: str, field_name: str, message: str | None = None) -> ApiError:
    error: Json = {"resource": resource, "code": code, "field": field_name}
    if message:
        error["message"] = message
    return ApiError(422, "Validation Failed", [error])


NOT_FOUND = "Not Found"


@dataclass
class Asset:
    id: int
    release_id: int
    name: str
    label: str
    content_type: str
    data: bytes
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    download_count: int = 0


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
    updated_at: str = field(default_factory=_now)
    published_at: str | None = None
    assets: list[Asset] = field(default_factory=list)


@dataclass
class Pull:
    number: int
    title: str
    head: str  # as the client sent it: `branch` or `owner:branch`
    base: str
    body: str
    state: str = "open"
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)
    closed_at: str | None = None
    merged_at: str | None = None
    merge_commit_sha: str | None = None
    labels: list[str] = field(default_factory=list)


@dataclass
class _Repo:
    id: int
    owner: str
    name: str
    default_branch: str

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


Reply = tuple[int, Any]  # a status and JSON-able data, bytes, or (data, Link header)


class GithubApi(LoopbackServer):
    """The loopback GitHub; thread-safe state in memory, served while started."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        read_only_tokens: Iterable[str] = (READ_ONLY_TOKEN,),
        login: str = LOGIN,
    ) -> None:
        self.token = token
        self.read_only_tokens = set(read_only_tokens)
        self.login = login
        super().__init__()
        self.faults = Faults()
        self._lock = threading.RLock()
        self._ids = itertools.count(1000)
        self._repos: dict[str, _Repo] = {}  # by lower-cased full name
        self._releases: dict[int, Release] = {}
        self._pulls: dict[str, list[Pull]] = {}
        self._used = 0
        self._reset_at = int(time.time()) + 3600

    # -- lifecycle -----------------------------------------------------------------------

    def request_handler(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    @property
    def url(self) -> str:
        """The `base_url` for PyGithub (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    # -- state, for tests ----------------------------------------------------------------

    def add_repo(self, owner: str, name: str, *, default_branch: str = "main") -> None:
        with self._lock:
            key = f"{owner}/{name}".lower()
            if key not in self._repos:
                self._repos[key] = _Repo(next(self._ids), owner, name, default_branch)

    def releases(self, owner: str, repo: str) -> list[Release]:
        """The repository's releases, drafts included, oldest first (live objects)."""
        full = f"{owner}/{repo}".lower()
        with self._lock:
            return [r for r in self._releases.values() if f"{r.owner}/{r.repo}".lower() == full]

    def release(self, owner: str, repo: str, tag: str) -> Release | None:
        return next((r for r in self.releases(owner, repo) if r.tag_name == tag), None)

    def asset_bytes(self, asset_id: int) -> bytes:
        """The bytes uploaded as asset `asset_id` (KeyError when there is none)."""
        with self._lock:
            for release in self._releases.values():
                for asset in release.assets:
                    if asset.id == asset_id:
                        return asset.data
        raise KeyError(asset_id)

    def pulls(self, owner: str, repo: str) -> list[Pull]:
        with self._lock:
            return list(self._pulls.get(f"{owner}/{repo}".lower(), []))

    def merged(self, owner: str, repo: str, number: int, sha: str) -> None:
        """Mark a pull request merged, as GitHub does once its merge commit is on the base."""
        with self._lock:
            pull = next(p for p in self._pulls[f"{owner}/{repo}".lower()] if p.number == number)
            pull.state, pull.merge_commit_sha = "closed", sha
            pull.closed_at = pull.merged_at = _now()

    def close(self, owner: str, repo: str, number: int) -> None:
        """Close a pull request without merging it, as a person can on GitHub."""
        with self._lock:
            pull = next(p for p in self._pulls[f"{owner}/{repo}".lower()] if p.number == number)
            pull.state, pull.closed_at = "closed", _now()

    @property
    def log(self) -> list[Seen]:
        """Every request received, with the faults done to it."""
        return self.faults.requests

    # -- the API -------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: status, headers, body. `headers` has lower-cased names."""
        parts = urlsplit(target)
        path = [unquote(p) for p in parts.path.strip("/").split("/") if p]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        extra = self._rate_headers()
        token: str | None = None
        try:
            token = self._authenticate(headers)
            with self._lock:
                status, data = self._route(method, path, query, headers, body, token)
        except ApiError as err:
            status, data = err.status, err.body
        if token is not None and token not in self.read_only_tokens:
            extra["X-OAuth-Scopes"] = "repo"  # a classic token's scopes
        if isinstance(data, bytes):
            return status, {**extra, "Content-Type": "application/octet-stream"}, data
        if isinstance(data, tuple):
            data, extra["Link"] = data
        return status, extra, json.dumps(data).encode() if data is not None else b""

    def _rate_headers(self) -> dict[str, str]:
        with self._lock:
            self._used += 1
            used = self._used
        return {
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(max(0, RATE_LIMIT - used)),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Reset": str(self._reset_at),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
        }

    def _authenticate(self, headers: dict[str, str]) -> str:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() not in ("token", "bearer") or token.strip() not in (
            {self.token} | self.read_only_tokens
        ):
            raise ApiError(401, "Bad credentials")
        return token.strip()

    def _route(
        self,
        method: str,
        path: list[str],
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        token: str,
    ) -> Reply:
        """Called with the lock held."""
        if path == ["user"] and method == "GET":
            return 200, self._user()
        uploads = path[:1] == ["uploads"]
        if uploads:
            path = path[1:]
        if len(path) < 3 or path[0] != "repos":
            raise ApiError(404, NOT_FOUND)
        repo = self._repos.get(f"{path[1]}/{path[2]}".lower())
        if repo is None:
            raise ApiError(404, NOT_FOUND)
        writer = token not in self.read_only_tokens
        if method != "GET" and not writer:
            raise ApiError(403, "Resource not accessible by integration")
        rest = path[3:]
        if rest == [] and method == "GET":
            return 200, self._repo_json(repo, writer)
        if uploads:
            if method == "POST" and len(rest) == 3 and rest[::2] == ["releases", "assets"]:
                release = self._find(repo, rest[1], writer)
                return self._upload(release, query, headers, body)
            raise ApiError(404, NOT_FOUND)
        if rest[:1] == ["releases"]:
            return self._releases_route(method, repo, rest[1:], query, headers, body, writer)
        if rest[:1] == ["pulls"]:
            return self._pulls_route(method, repo, rest[1:], query, body)
        if len(rest) == 3 and rest[0] == "issues" and rest[2] == "labels":
            return self._labels_route(method, repo, rest[1], body)
        raise ApiError(404, NOT_FOUND)

    # -- releases ------------------------------------------------------------------------

    def _releases_route(
        self,
        method: str,
        repo: _Repo,
        rest: list[str],
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        writer: bool,
    ) -> Reply:
        mine = self.releases(repo.owner, repo.name)
        if rest == [] and method == "GET":
            # Only those with push access see drafts, as on GitHub.
            shown = [r for r in reversed(mine) if writer or not r.draft]
            path = f"/repos/{repo.full_name}/releases"
            return 200, self._page(shown, query, path, self._release_json)
        if rest == [] and method == "POST":
            return 201, self._release_json(self._create(repo, mine, _json(body)))
        if rest == ["latest"] and method == "GET":
            published = [r for r in mine if not r.draft and not r.prerelease]
            if not published:
                raise ApiError(404, NOT_FOUND)
            return 200, self._release_json(max(published, key=lambda r: (r.published_at, r.id)))
        if rest[:1] == ["tags"] and len(rest) >= 2 and method == "GET":
            tag = "/".join(rest[1:])
            found = next((r for r in mine if r.tag_name == tag and not r.draft), None)
            if found is None:
                raise ApiError(404, NOT_FOUND)
            return 200, self._release_json(found)
        if rest[:1] == ["assets"] and len(rest) == 2:
            return self._asset_route(method, repo, rest[1], headers, body, writer)
        if len(rest) in (1, 2):
            release = self._find(repo, rest[0], writer)
            if rest[1:] == ["assets"] and method == "GET":
                path = f"/repos/{repo.full_name}/releases/{release.id}/assets"
                return 200, self._page(release.assets, query, path, self._asset_json)
            if len(rest) == 1 and method == "GET":
                return 200, self._release_json(release)
            if len(rest) == 1 and method == "PATCH":
                return 200, self._release_json(self._update(release, mine, _json(body)))
            if len(rest) == 1 and method == "DELETE":
                del self._releases[release.id]
                return 204, None
        raise ApiError(404, NOT_FOUND)

    def _create(self, repo: _Repo, mine: list[Release], data: Json) -> Release:
        tag = data.get("tag_name")
        if not isinstance(tag, str) or not tag:
            raise _invalid("Release", "missing_field", "tag_name")
        if any(r.tag_name == tag for r in mine):
            raise _invalid("Release", "already_exists", "tag_name")
        release = Release(
            id=next(self._ids),
            owner=repo.owner,
            repo=repo.name,
            tag_name=tag,
            name=str(data.get("name") or tag),
            body=_notes(data.get("body")),
            draft=bool(data.get("draft", False)),
            prerelease=bool(data.get("prerelease", False)),
            target_commitish=str(data.get("target_commitish") or repo.default_branch),
        )
        if not release.draft:
            release.published_at = release.created_at
        self._releases[release.id] = release
        return release

    def _update(self, release: Release, mine: list[Release], data: Json) -> Release:
        tag = data.get("tag_name")
        if tag is not None and tag != release.tag_name:
            if not isinstance(tag, str) or not tag:
                raise _invalid("Release", "invalid", "tag_name")
            if any(r.tag_name == tag for r in mine):
                raise _invalid("Release", "already_exists", "tag_name")
            release.tag_name = tag
        if data.get("body") is not None:
            release.body = _notes(data["body"])
        for key in ("name", "target_commitish"):
            if data.get(key) is not None:
                setattr(release, key, str(data[key]))
        if "prerelease" in data:
            release.prerelease = bool(data["prerelease"])
        if "draft" in data:
            if release.draft and not data["draft"]:
                release.published_at = _now()
            release.draft = bool(data["draft"])
        release.updated_at = _now()
        return release

    def _find(self, repo: _Repo, release_id: str, writer: bool) -> Release:
        release = self._releases.get(int(release_id)) if release_id.isdigit() else None
        if (
            release is None
            or f"{release.owner}/{release.repo}" != repo.full_name
            or (release.draft and not writer)
        ):
            raise ApiError(404, NOT_FOUND)
        return release

    # -- assets --------------------------------------------------------------------------

    def _upload(
        self, release: Release, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> Reply:
        name = query.get("name")
        if not name:
            raise _invalid("ReleaseAsset", "missing_field", "name")
        if any(a.name == name for a in release.assets):
            raise _invalid("ReleaseAsset", "already_exists", "name")
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
        self,
        method: str,
        repo: _Repo,
        asset_id: str,
        headers: dict[str, str],
        body: bytes,
        writer: bool,
    ) -> Reply:
        found = [
            (r, a)
            for r in self.releases(repo.owner, repo.name)
            if writer or not r.draft
            for a in r.assets
            if str(a.id) == asset_id
        ]
        if not found:
            raise ApiError(404, NOT_FOUND)
        release, asset = found[0]
        if method == "GET":
            if "application/octet-stream" in headers.get("accept", ""):
                asset.download_count += 1
                return 200, asset.data
            return 200, self._asset_json(asset)
        if method == "PATCH":
            data = _json(body)
            name = data.get("name")
            if name and name != asset.name:
                if any(a.name == name for a in release.assets):
                    raise _invalid("ReleaseAsset", "already_exists", "name")
                asset.name = str(name)
            if data.get("label") is not None:
                asset.label = str(data["label"])
            asset.updated_at = _now()
            return 200, self._asset_json(asset)
        if method == "DELETE":
            release.assets.remove(asset)
            return 204, None
        raise ApiError(404, NOT_FOUND)

    # -- pull requests -------------------------------------------------------------------

    def _pulls_route(
        self, method: str, repo: _Repo, rest: list[str], query: dict[str, str], body: bytes
    ) -> Reply:
        pulls = self._pulls.setdefault(repo.full_name.lower(), [])
        if rest == [] and method == "POST":
            data = _json(body)
            for key in ("title", "head", "base"):
                if not isinstance(data.get(key), str) or not data[key]:
                    raise _invalid("PullRequest", "missing_field", key)
            label = _label(repo, data["head"])
            if any(
                _label(repo, p.head) == label and p.base == data["base"] and p.state == "open"
                for p in pulls
            ):
                message = f"A pull request already exists for {label}."
                raise ApiError(
                    422,
                    "Validation Failed",
                    [{"resource": "PullRequest", "code": "custom", "message": message}],
                )
            pull = Pull(
                len(pulls) + 1, data["title"], data["head"], data["base"], _text(data.get("body"))
            )
            pulls.append(pull)
            return 201, self._pull_json(repo, pull)
        if rest == [] and method == "GET":
            state = query.get("state", "open")
            shown = [
                p
                for p in reversed(pulls)
                if state in ("all", p.state)
                and query.get("head", _label(repo, p.head)) == _label(repo, p.head)
                and query.get("base", p.base) == p.base
            ]
            path = f"/repos/{repo.full_name}/pulls"
            return 200, self._page(shown, query, path, lambda p: self._pull_json(repo, p))
        if len(rest) == 1 and rest[0].isdigit() and method in ("GET", "PATCH"):
            found = next((p for p in pulls if p.number == int(rest[0])), None)
            if found is None:
                raise ApiError(404, NOT_FOUND)
            if method == "PATCH":
                self._edit_pull(repo, pulls, found, _json(body))
            return 200, self._pull_json(repo, found)
        raise ApiError(404, NOT_FOUND)

    def _edit_pull(self, repo: _Repo, pulls: list[Pull], pull: Pull, data: Json) -> None:
        state = data.get("state", pull.state)
        if state not in ("open", "closed"):
            raise _invalid("PullRequest", "invalid", "state")
        if state == "open" and pull.state == "closed":
            if pull.merged_at is not None:
                raise ApiError(
                    422,
                    "Validation Failed",
                    [{"message": "state cannot be changed. The pull request cannot be reopened."}],
                )
            if any(
                _label(repo, p.head) == _label(repo, pull.head)
                and p.base == pull.base
                and p.state == "open"
                for p in pulls
            ):
                raise _invalid("PullRequest", "custom", "state", "A pull request already exists")
        if state == "closed" and pull.state == "open":
            pull.closed_at = _now()
        elif state == "open":
            pull.closed_at = None
        pull.state = state
        pull.title = _text(data.get("title", pull.title))
        pull.body = _text(data.get("body", pull.body))
        pull.updated_at = _now()

    def _labels_route(self, method: str, repo: _Repo, number: str, body: bytes) -> Reply:
        pulls = self._pulls.get(repo.full_name.lower(), [])
        found = next((p for p in pulls if str(p.number) == number), None)
        if found is None:
            raise ApiError(404, NOT_FOUND)
        if method == "POST":
            try:  # GitHub takes `{"labels": [...]}` or the bare array (PyGithub sends that)
                data = json.loads(body or b"{}")
            except ValueError:
                raise ApiError(400, "Problems parsing JSON") from None
            names = data.get("labels") if isinstance(data, dict) else data
            if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
                raise _invalid("Label", "invalid", "labels")
            found.labels += [n for n in names if n not in found.labels]
        elif method != "GET":
            raise ApiError(404, NOT_FOUND)
        return 200, [self._label_json(repo, name) for name in found.labels]

    def _label_json(self, repo: _Repo, name: str) -> Json:
        number = int(hashlib.sha1(name.encode()).hexdigest()[:8], 16)
        return {
            "id": number,
            "node_id": _node_id("Label", number),
            "url": f"{self.url}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "color": "ededed",
            "default": False,
            "description": None,
        }

    # -- JSON as GitHub shapes it ---------------------------------------------------------

    def _page(
        self, items: list[Any], query: dict[str, str], path: str, render: Callable[[Any], Json]
    ) -> tuple[list[Json], str] | list[Json]:
        """One page of `items`, with GitHub's `Link` header when there are more pages."""
        per_page = max(1, min(100, _int(query.get("per_page"), 30)))
        page = max(1, _int(query.get("page"), 1))
        rendered = [render(item) for item in items[(page - 1) * per_page : page * per_page]]
        last = max(1, -(-len(items) // per_page))
        if last == 1:
            return rendered

        def link(number: int, rel: str) -> str:
            params = urlencode({**query, "per_page": per_page, "page": number})
            return f'<{self.url}{path}?{params}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(min(page - 1, last), "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        return (rendered, ", ".join(links)) if links else rendered

    def _user(self) -> Json:
        return {
            "login": self.login,
            "id": 1,
            "node_id": _node_id("User", 1),
            "type": "Bot",
            "site_admin": False,
            "url": f"{self.url}/users/{self.login}",
            "html_url": f"https://github.com/{self.login}",
        }

    def _owner_json(self, repo: _Repo) -> Json:
        return {
            "login": repo.owner,
            "id": 2,
            "node_id": _node_id("Organization", 2),
            "type": "Organization",
            "url": f"{self.url}/users/{repo.owner}",
            "html_url": f"https://github.com/{repo.owner}",
        }

    def _repo_json(self, repo: _Repo, writer: bool) -> Json:
        full = repo.full_name
        return {
            "id": repo.id,
            "node_id": _node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": full,
            "owner": self._owner_json(repo),
            "private": False,
            "visibility": "public",
            "html_url": f"https://github.com/{full}",
            "url": f"{self.url}/repos/{full}",
            "releases_url": f"{self.url}/repos/{full}/releases{{/id}}",
            "clone_url": f"https://github.com/{full}.git",
            "default_branch": repo.default_branch,
            "archived": False,
            "disabled": False,
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": writer,
                "triage": writer,
                "pull": True,
            },
        }

    def _release_json(self, r: Release) -> Json:
        full = f"{r.owner}/{r.repo}"
        base = f"{self.url}/repos/{full}/releases/{r.id}"
        web = f"https://github.com/{full}"
        return {
            "url": base,
            "assets_url": f"{base}/assets",
            "upload_url": f"{self.url}/uploads/repos/{full}/releases/{r.id}/assets{{?name,label}}",
            "html_url": f"{web}/releases/tag/{r.tag_name}",
            "id": r.id,
            "node_id": _node_id("Release", r.id),
            "author": self._user(),
            "tag_name": r.tag_name,
            "target_commitish": r.target_commitish,
            "name": r.name,
            "draft": r.draft,
            "immutable": False,
            "prerelease": r.prerelease,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "published_at": r.published_at,
            "assets": [self._asset_json(a) for a in r.assets],
            "tarball_url": f"{self.url}/repos/{full}/tarball/{r.tag_name}",
            "zipball_url": f"{self.url}/repos/{full}/zipball/{r.tag_name}",
            "body": r.body,
        }

    def _asset_json(self, a: Asset) -> Json:
        release = self._releases.get(a.release_id)
        full = f"{release.owner}/{release.repo}" if release else "unknown/unknown"
        tag = release.tag_name if release else ""
        return {
            "url": f"{self.url}/repos/{full}/releases/assets/{a.id}",
            "browser_download_url": f"https://github.com/{full}/releases/download/{tag}/{a.name}",
            "id": a.id,
            "node_id": _node_id("ReleaseAsset", a.id),
            "name": a.name,
            "label": a.label,
            "state": "uploaded",
            "content_type": a.content_type,
            "size": len(a.data),
            "digest": "sha256:" + hashlib.sha256(a.data).hexdigest(),
            "download_count": a.download_count,
            "created_at": a.created_at,
            "updated_at": a.updated_at,
            "uploader": self._user(),
        }

    def _pull_json(self, repo: _Repo, p: Pull) -> Json:
        full = repo.full_name

        def part(ref: str, label: str) -> Json:
            sha = hashlib.sha1(label.encode()).hexdigest()  # a stable stand-in commit
            return {"label": label, "ref": ref, "sha": sha, "user": self._owner_json(repo)}

        return {
            "url": f"{self.url}/repos/{full}/pulls/{p.number}",
            "id": 5000 + p.number,
            "node_id": _node_id("PullRequest", 5000 + p.number),
            "html_url": f"https://github.com/{full}/pull/{p.number}",
            "issue_url": f"{self.url}/repos/{full}/issues/{p.number}",
            "number": p.number,
            "state": p.state,
            "locked": False,
            "title": p.title,
            "user": self._user(),
            "body": p.body,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
            "closed_at": p.closed_at,
            "merged_at": p.merged_at,
            "merge_commit_sha": p.merge_commit_sha,
            "labels": [self._label_json(repo, name) for name in p.labels],
            "draft": False,
            "merged": p.merged_at is not None,
            "head": part(p.head.rpartition(":")[2], _label(repo, p.head)),
            "base": part(p.base, f"{repo.owner}:{p.base}"),
        }


def _label(repo: _Repo, head: str) -> str:
    """`owner:branch`, as GitHub labels a pull request's head."""
    return head if ":" in head else f"{repo.owner}:{head}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _notes(value: Any) -> str:
    body = _text(value)
    if len(body) > MAX_BODY:
        raise _invalid(
            "Release", "custom", "body", f"body is too long (maximum is {MAX_BODY} characters)"
        )
    return body


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _json(body: bytes) -> Json:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(400, "Problems parsing JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Problems parsing JSON")
    return data


# -- the HTTP server --------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "github-loopback/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        api: GithubApi = service_of(self)
        if answer_fault(self, api.faults, error_body=json_error):
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._send(400, {}, json_error(400, "Bad Content-Length")[0])
            return
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            status, extra, payload = api.handle(self.command, self.path, headers, body)
        except Exception as err:  # a bug here must reach the test as a 500, not a hang
            status, extra, payload = 500, {}, json_error(500, f"internal error: {err!r}")[0]
        self._send(status, extra, payload)

    def _send(self, status: int, extra: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        if status != 204:
            extra.setdefault("Content-Type", "application/json; charset=utf-8")
        for key, value in extra.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


# -- pytest fixtures --------------------------------------------------------------------------

GithubFactory = Callable[..., GithubApi]


@pytest.fixture(scope="module")
def github_api_factory() -> Iterator[GithubFactory]:
    """Call it for a fresh, started GitHub (same arguments as `GithubApi`) holding the
    repository acme/demo; every GitHub it made stops at the end of the module."""
    made: list[GithubApi] = []

    def make(token: str = DEFAULT_TOKEN, **kwargs: Any) -> GithubApi:
        api = GithubApi(token, **kwargs).start()
        api.add_repo("acme", "demo")
        made.append(api)
        return api

    yield make
    for api in made:
        api.stop()


@pytest.fixture(scope="module")
def github_api(github_api_factory: GithubFactory) -> GithubApi:
    """A GitHub shared by one module's tests, with acme/demo and the token `token` (add a
    repository a test with `add_repo`; clear `faults` after adding rules)."""
    return github_api_factory()

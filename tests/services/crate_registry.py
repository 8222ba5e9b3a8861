"""A loopback Cargo registry: crates.io's protocol on 127.0.0.1, for the real `cargo`.

It serves what Cargo's documentation of registries describes:

- the sparse index under `/index/`: `config.json`, then one file a crate at `1/a`, `2/ab`,
  `3/a/abc` or `ab/cd/abcd...` (lower-cased), one JSON line a version, built from the
  publish metadata the way crates.io builds it; `ETag`/`Last-Modified` with 304 answers,
  404 for unknown crates;
- the web API: `PUT /api/v1/crates/new` (body: u32le JSON length, JSON metadata, u32le
  .crate length, .crate bytes), `GET /api/v1/crates/{name}/{version}/download` (the `dl`
  endpoint), `DELETE .../{version}/yank`, `PUT .../{version}/unyank`, owners, search, and
  crates.io's `GET /api/v1/crates/{name}[/{version}]` JSON;
- errors as `{"errors": [{"detail": "..."}]}`, which cargo shows to its user.

Requests that change the registry need `Authorization: <token>`; a wrong or missing token is
refused with 403. Each registry has a `Faults` object (tests/services/faults.py) consulted on
every request, a thread-safe publish log, and an optional delay before a newly published
version appears in the index (to test that a publisher waits for the index before publishing
the crates that depend on it).

    with CrateRegistry(token="s3cret") as registry:
        registry.cargo_config(project)   # writes project/.cargo/config.toml
        subprocess.run(["cargo", "publish", "--registry", "local"], env=registry.env | ...)
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import io
import json
import re
import tarfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import semver

from tests.services.crates_trusted import PATH as TRUSTED_PATH
from tests.services.crates_trusted import TrustedPublishing
from tests.services.faults import Faults, answer_fault

DEFAULT_TOKEN = "cio-loopback-test-token"
REGISTRY_NAME = "local"
OWNER = "release-bot"
MAX_UPLOAD = 10 * 1024 * 1024  # crates.io's default limit
# The registry stands in for crates.io: cargo, publishing to it through a replaced crates.io
# source, names crates.io's index as the registry of dependencies that come from "crates.io".
CRATES_IO_INDEXES = frozenset(
    {"https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/"}
)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_KIND_ORDER = {"normal": 0, "build": 1, "dev": 2}

Json = dict[str, Any]


# -- names, paths and bodies ------------------------------------------------------------------


def canonical_name(name: str) -> str:
    """crates.io's identity of a crate name: case-insensitive, `-` and `_` the same."""
    return name.lower().replace("-", "_")


def index_path(name: str) -> str:
    """The path of a crate's index file below the index root (`serde` -> `se/rd/serde`)."""
    low = name.lower()
    if len(low) <= 2:
        return f"{len(low)}/{low}"
    if len(low) == 3:
        return f"3/{low[0]}/{low}"
    return f"{low[:2]}/{low[2:4]}/{low}"


def publish_body(metadata: Mapping[str, Any], crate: bytes) -> bytes:
    """The body of `PUT /api/v1/crates/new`, as cargo builds it."""
    meta = json.dumps(metadata).encode()
    return len(meta).to_bytes(4, "little") + meta + len(crate).to_bytes(4, "little") + bytes(crate)


def split_features(
    features: Mapping[str, list[str]],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """crates.io's split: features using `dep:` or `pkg?/feat`, and those enabling them, go to
    `features2` so that old cargo versions can still read the line."""

    def new_syntax(value: str) -> bool:
        return value.startswith("dep:") or "?/" in value

    plain = {k: list(v) for k, v in features.items() if not any(new_syntax(x) for x in v)}
    extended = {k: list(v) for k, v in features.items() if k not in plain}
    for _ in range(100):
        moved = {k: v for k, v in plain.items() if any(x in extended for x in v)}
        if not moved:
            break
        extended.update(moved)
        plain = {k: v for k, v in plain.items() if k not in moved}
    return dict(sorted(plain.items())), dict(sorted(extended.items()))


def _rfc3339(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


def _release(version: str) -> str:
    """A version without build metadata: `1.0.0+a` and `1.0.0+b` are the same release."""
    return version.split("+", 1)[0]


# -- state ------------------------------------------------------------------------------------


class PublishRecord(NamedTuple):
    name: str
    version: str
    time: float


class PublishLog:
    """Thread-safe list of the successful publishes, in the order the registry took them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[PublishRecord] = []

    def append(self, record: PublishRecord) -> None:
        with self._lock:
            self._records.append(record)

    def entries(self) -> list[PublishRecord]:
        with self._lock:
            return list(self._records)

    def versions(self) -> list[tuple[str, str]]:
        """(name, version) pairs in publish order."""
        return [(r.name, r.version) for r in self.entries()]

    def count(self, name: str, version: str | None = None) -> int:
        key = canonical_name(name)
        return sum(
            1
            for r in self.entries()
            if canonical_name(r.name) == key and (version is None or r.version == version)
        )

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def __iter__(self) -> Iterator[PublishRecord]:
        return iter(self.entries())

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __getitem__(self, index: int) -> PublishRecord:
        with self._lock:
            return self._records[index]


@dataclass
class CrateVersion:
    name: str
    vers: str
    metadata: Json
    crate: bytes
    cksum: str
    entry: Json  # the index line, without the live `yanked`
    published_at: float
    visible_at: float
    yanked: bool = False
    downloads: int = 0

    def index_line(self) -> Json:
        line = dict(self.entry)
        line["yanked"] = self.yanked
        # Keep crates.io's key order: yanked comes right after the features.
        order = ["name", "vers", "deps", "cksum", "features", "features2", "yanked"]
        head = {k: line[k] for k in order if k in line}
        return head | {k: v for k, v in line.items() if k not in head}


@dataclass
class Crate:
    name: str
    versions: list[CrateVersion] = field(default_factory=list)
    owners: list[str] = field(default_factory=lambda: [OWNER])
    changed_at: float = 0.0

    def find(self, version: str) -> CrateVersion | None:
        for v in self.versions:
            if v.vers == version:
                return v
        return None


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class RegistryError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(payload).encode(), headers=headers or {})


def errors_body(status: int, detail: str) -> tuple[bytes, str]:
    """The web API's error format, which cargo shows to its user."""
    payload = {"errors": [{"detail": detail}]}
    return json.dumps(payload).encode(), "application/json; charset=utf-8"


# -- the registry -----------------------------------------------------------------------------


class CrateRegistry:
    """A sparse Cargo registry with the crates.io web API, served on 127.0.0.1."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        index_delay: float = 0.0,
        faults: Faults | None = None,
        name: str = REGISTRY_NAME,
    ) -> None:
        self.token = token
        self.name = name
        self.index_delay = index_delay
        self.faults = faults or Faults()
        self.trusted: TrustedPublishing | None = None  # crates.io's trusted publishing, when set
        self.log = PublishLog()
        self._lock = threading.Lock()
        self._crates: dict[str, Crate] = {}  # by canonical name
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> CrateRegistry:
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.registry = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"crate-registry:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> CrateRegistry:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what clients need ---------------------------------------------------------------

    @property
    def url(self) -> str:
        """The web API root (`api` in config.json)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def index_url(self) -> str:
        return f"sparse+{self.url}/index/"

    @property
    def dl_url(self) -> str:
        return f"{self.url}/api/v1/crates"

    @property
    def config_json(self) -> Json:
        return {"dl": self.dl_url, "api": self.url, "auth-required": False}

    @property
    def env(self) -> dict[str, str]:
        """Environment for cargo (and for the release tool, which reads CARGO_REGISTRY_TOKEN)."""
        return {
            f"CARGO_REGISTRIES_{self.name.upper().replace('-', '_')}_TOKEN": self.token,
            "CARGO_REGISTRY_TOKEN": self.token,
        }

    def cargo_config_text(self) -> str:
        return (
            f"[registries.{self.name}]\n"
            f'index = "{self.index_url}"\n'
            "\n"
            "[source.crates-io]\n"
            f'replace-with = "{self.name}"\n'
        )

    def cargo_config(self, path: Path) -> Path:
        """Write `path/.cargo/config.toml` so that the project at `path` publishes here (with
        `--registry local`) and resolves crates.io dependencies from here. Existing settings
        in that file are kept."""
        target = path if path.name == "config.toml" else path / ".cargo" / "config.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        old = target.read_text() if target.exists() else ""
        old = re.sub(
            rf"(?ms)^\[(registries\.{re.escape(self.name)}|source\.crates-io)\]\n.*?(?=^\[|\Z)",
            "",
            old,
        ).strip()
        target.write_text((old + "\n\n" if old else "") + self.cargo_config_text())
        return target

    # -- what tests inspect --------------------------------------------------------------

    def versions(self, name: str) -> list[str]:
        """All versions of a crate, visible in the index or not, in publish order."""
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            return [v.vers for v in krate.versions] if krate else []

    def index_lines(self, name: str) -> list[Json]:
        """The index lines the registry serves now for `name` (visible versions only)."""
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            if krate is None:
                return []
            now = time.time()
            return [v.index_line() for v in krate.versions if v.visible_at <= now]

    def crate_file(self, name: str, version: str) -> bytes | None:
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            found = krate.find(version) if krate else None
            return found.crate if found else None

    def metadata(self, name: str, version: str) -> Json | None:
        """The publish metadata cargo sent for that version."""
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            found = krate.find(version) if krate else None
            return found.metadata if found else None

    def serve_now(self) -> None:
        """Make every published version visible in the index at once."""
        now = time.time()
        with self._lock:
            for krate in self._crates.values():
                for v in krate.versions:
                    if v.visible_at > now:
                        v.visible_at = now
                        krate.changed_at = now

    def reset(self) -> None:
        """Forget every crate, the publish log, the fault rules and the requests seen."""
        with self._lock:
            self._crates.clear()
        self.log.clear()
        self.faults.reset()

    # -- HTTP ----------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Reply:
        split = urlsplit(target)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        try:
            if path.startswith("/index/"):
                if method not in ("GET", "HEAD"):
                    raise RegistryError(405, "method not allowed")
                return self._index(path[len("/index/") :], headers)
            if path == TRUSTED_PATH and self.trusted is not None:
                status, payload = self.trusted.handle(method, headers, body)
                return _json(status, payload) if payload is not None else Reply(status)
            if path == "/api/v1/me":  # who the token belongs to: a check that changes nothing
                self._expect(method, "GET")
                self._authenticate(headers)
                return _json(200, {"user": {"id": 1, "login": "loopback"}, "owned_crates": []})
            if path == "/api/v1/crates/new":
                self._expect(method, "PUT")
                return self._publish(headers, body)
            if path == "/api/v1/crates":
                self._expect(method, "GET", "HEAD")
                return self._search(query)
            parts = path.removeprefix("/api/v1/crates/").split("/")
            if path.startswith("/api/v1/crates/") and all(parts):
                return self._crate_route(method, parts, headers, body)
            raise RegistryError(404, "Not Found")
        except RegistryError as err:
            return Reply(err.status, errors_body(err.status, err.detail)[0])

    @staticmethod
    def _expect(method: str, *allowed: str) -> None:
        if method not in allowed:
            raise RegistryError(405, "method not allowed")

    def _crate_route(
        self, method: str, parts: list[str], headers: Mapping[str, str], body: bytes
    ) -> Reply:
        if len(parts) == 1:
            self._expect(method, "GET", "HEAD")
            return self._crate_info(parts[0])
        if len(parts) == 2 and parts[1] == "owners":
            return self._owners(method, parts[0], headers, body)
        if len(parts) == 2:
            self._expect(method, "GET", "HEAD")
            return self._version_info(parts[0], parts[1])
        if len(parts) == 3 and parts[2] == "download":
            self._expect(method, "GET", "HEAD")
            return self._download(parts[0], parts[1])
        if len(parts) == 3 and parts[2] == "yank":
            self._expect(method, "DELETE")
            return self._set_yanked(parts[0], parts[1], True, headers)
        if len(parts) == 3 and parts[2] == "unyank":
            self._expect(method, "PUT")
            return self._set_yanked(parts[0], parts[1], False, headers)
        raise RegistryError(404, "Not Found")

    def _authenticate(self, headers: Mapping[str, str]) -> None:
        given = headers.get("Authorization")
        if not given:
            raise RegistryError(403, "this action requires authentication")
        if self.trusted is not None and self.trusted.accepts(given.strip()):
            return
        if given.strip() != self.token:
            raise RegistryError(403, "authentication failed: the given API token is not valid")

    # -- index ---------------------------------------------------------------------------

    def _index(self, rel: str, headers: Mapping[str, str]) -> Reply:
        if rel == "config.json":
            return _json(200, self.config_json)
        name = rel.rsplit("/", 1)[-1]
        now = time.time()
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            visible = [v for v in krate.versions if v.visible_at <= now] if krate else []
            # The index is a static file tree on crates.io: exact, lower-cased paths only.
            if krate is None or not visible or index_path(krate.name) != rel:
                return Reply(404, b"not found\n", "text/plain; charset=utf-8")
            text = "".join(
                json.dumps(v.index_line(), separators=(",", ":")) + "\n" for v in visible
            )
            changed = max(
                krate.changed_at if krate.changed_at <= now else 0.0,
                max(v.visible_at for v in visible),
            )
        data = text.encode()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        modified = email.utils.formatdate(int(changed), usegmt=True)
        cache = {"ETag": etag, "Last-Modified": modified}
        match = headers.get("If-None-Match")
        since = headers.get("If-Modified-Since")
        if match is not None:
            if etag in [m.strip() for m in match.split(",")] or match.strip() == "*":
                return Reply(304, b"", headers=cache)
        elif since is not None:
            try:
                if int(changed) <= email.utils.parsedate_to_datetime(since).timestamp():
                    return Reply(304, b"", headers=cache)
            except (TypeError, ValueError):
                pass
        return Reply(200, data, "text/plain; charset=utf-8", cache)

    # -- publish -------------------------------------------------------------------------

    def _publish(self, headers: Mapping[str, str], body: bytes) -> Reply:
        self._authenticate(headers)
        meta, crate = _parse_publish(body)
        name, vers = meta["name"], meta["vers"]
        _check_crate_file(crate, name, vers)
        cksum = hashlib.sha256(crate).hexdigest()
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            if krate is not None and krate.name != name:
                raise RegistryError(400, f"crate was previously named `{krate.name}`")
            if krate is not None and any(
                _release(v.vers) == _release(vers) for v in krate.versions
            ):
                raise RegistryError(400, f"crate version `{vers}` is already uploaded")
            now = time.time()
            entry = self._index_entry(meta, cksum, now)
            if krate is None:
                krate = Crate(name)
                self._crates[canonical_name(name)] = krate
            visible_at = now + max(self.index_delay, 0.0)
            krate.versions.append(
                CrateVersion(name, vers, meta, crate, cksum, entry, now, visible_at)
            )
            krate.changed_at = visible_at
            self.log.append(PublishRecord(name, vers, now))
        warnings: dict[str, list[str]] = {
            "invalid_categories": [],
            "invalid_badges": [],
            "other": [],
        }
        return _json(200, {"warnings": warnings})

    def _index_entry(self, meta: Json, cksum: str, now: float) -> Json:
        """The index line of a new version, as crates.io derives it from the metadata.
        Called with the lock held."""
        own = CRATES_IO_INDEXES | {self.index_url, self.index_url.removeprefix("sparse+")}
        deps: list[Json] = []
        for dep in meta.get("deps") or []:
            if not isinstance(dep, dict) or not isinstance(dep.get("name"), str):
                raise RegistryError(400, "invalid upload request: malformed dependency")
            req = dep.get("version_req")
            if not isinstance(req, str) or not req:
                raise RegistryError(400, f"invalid upload request: `{dep['name']}` has no version")
            if req.strip() == "*":
                raise RegistryError(
                    400,
                    "wildcard (`*`) dependency constraints are not allowed on crates.io. "
                    f"Crate with this problem: `{dep['name']}`",
                )
            registry = dep.get("registry")
            if registry is not None and registry not in own:
                raise RegistryError(
                    400,
                    f"Dependency `{dep['name']}` is hosted on another registry. "
                    "Cross-registry dependencies are not permitted on crates.io.",
                )
            known = self._crates.get(canonical_name(dep["name"]))
            if known is None:
                raise RegistryError(400, f"no known crate named `{dep['name']}`")
            real = known.name  # the registry's spelling, as crates.io writes it
            explicit = dep.get("explicit_name_in_toml")
            line: Json = {
                "name": explicit or real,
                "req": req,
                "features": list(dep.get("features") or []),
                "optional": bool(dep.get("optional", False)),
                "default_features": bool(dep.get("default_features", True)),
                "target": dep.get("target"),
                "kind": dep.get("kind") or "normal",
            }
            if explicit:
                line["package"] = real
            deps.append(line)
        deps.sort(
            key=lambda d: (
                d["name"],
                _KIND_ORDER.get(d["kind"], 3),
                d["req"],
                d["optional"],
                d["default_features"],
                (d["target"] is not None, d["target"] or ""),
                (d.get("package") is not None, d.get("package") or ""),
                d["features"],
            )
        )
        features, features2 = split_features(meta.get("features") or {})
        entry: Json = {
            "name": meta["name"],
            "vers": meta["vers"],
            "deps": deps,
            "cksum": cksum,
            "features": features,
        }
        if features2:
            entry["features2"] = features2
        entry["yanked"] = False
        if meta.get("links"):
            entry["links"] = meta["links"]
        if meta.get("rust_version"):
            entry["rust_version"] = meta["rust_version"]
        entry["pubtime"] = _rfc3339(now)
        if features2:
            entry["v"] = 2
        return entry

    # -- downloads, yanks, owners, queries -----------------------------------------------

    def _lookup(self, name: str, version: str) -> tuple[Crate, CrateVersion]:
        krate = self._crates.get(canonical_name(name))
        if krate is None:
            raise RegistryError(404, f"crate `{name}` does not exist")
        found = krate.find(version)
        if found is None:
            raise RegistryError(404, f"crate `{krate.name}` does not have a version `{version}`")
        return krate, found

    def _download(self, name: str, version: str) -> Reply:
        with self._lock:
            _, found = self._lookup(name, version)
            found.downloads += 1
            data = found.crate
        return Reply(200, data, "application/gzip")

    def _set_yanked(
        self, name: str, version: str, yanked: bool, headers: Mapping[str, str]
    ) -> Reply:
        self._authenticate(headers)
        with self._lock:
            krate, found = self._lookup(name, version)
            if found.yanked != yanked:
                found.yanked = yanked
                krate.changed_at = time.time()
        return _json(200, {"ok": True})

    def _owners(self, method: str, name: str, headers: Mapping[str, str], body: bytes) -> Reply:
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            if krate is None:
                raise RegistryError(404, f"crate `{name}` does not exist")
            owners = list(krate.owners)
        if method in ("GET", "HEAD"):
            users = [{"id": i + 1, "login": o, "name": None} for i, o in enumerate(owners)]
            return _json(200, {"users": users})
        self._expect(method, "PUT", "DELETE")
        self._authenticate(headers)
        try:
            logins = json.loads(body or b"{}").get("users")
        except (ValueError, AttributeError) as err:
            raise RegistryError(400, "invalid json request") from err
        if not isinstance(logins, list) or not all(isinstance(x, str) for x in logins):
            raise RegistryError(400, 'invalid json request: expected {"users": [...]}')
        with self._lock:
            if method == "PUT":
                krate.owners += [x for x in logins if x not in krate.owners]
                msg = ", ".join(
                    f"user {x} has been invited to be an owner of crate {krate.name}"
                    for x in logins
                )
            else:
                if not [o for o in krate.owners if o not in logins]:
                    raise RegistryError(400, "cannot remove all individual owners of a crate")
                krate.owners = [o for o in krate.owners if o not in logins]
                msg = "owners successfully removed"
        return _json(200, {"ok": True, "msg": msg})

    def _search(self, query: Mapping[str, str]) -> Reply:
        q = query.get("q", "").lower()
        try:
            per_page = max(1, min(100, int(query.get("per_page", "10"))))
        except ValueError:
            per_page = 10
        with self._lock:
            hits = [
                {
                    "name": k.name,
                    "max_version": _max_version(k),
                    "description": k.versions[-1].metadata.get("description"),
                }
                for k in sorted(self._crates.values(), key=lambda k: k.name)
                if q.replace("-", "_") in canonical_name(k.name)
            ]
        return _json(200, {"crates": hits[:per_page], "meta": {"total": len(hits)}})

    def _crate_info(self, name: str) -> Reply:
        with self._lock:
            krate = self._crates.get(canonical_name(name))
            if krate is None:
                raise RegistryError(404, f"crate `{name}` does not exist")
            versions = [_version_json(krate, v) for v in reversed(krate.versions)]
            info = {
                "id": krate.name,
                "name": krate.name,
                "max_version": _max_version(krate),
                "newest_version": krate.versions[-1].vers,
                "description": krate.versions[-1].metadata.get("description"),
            }
        return _json(200, {"crate": info, "versions": versions})

    def _version_info(self, name: str, version: str) -> Reply:
        with self._lock:
            krate, found = self._lookup(name, version)
            return _json(200, {"version": _version_json(krate, found)})


def _max_version(krate: Crate) -> str:
    live = [v.vers for v in krate.versions if not v.yanked] or [v.vers for v in krate.versions]
    return str(max(semver.Version.parse(v) for v in live))


def _version_json(krate: Crate, v: CrateVersion) -> Json:
    return {
        "crate": krate.name,
        "num": v.vers,
        "yanked": v.yanked,
        "checksum": v.cksum,
        "dl_path": f"/api/v1/crates/{krate.name}/{v.vers}/download",
        "downloads": v.downloads,
        "created_at": _rfc3339(v.published_at),
        "rust_version": v.metadata.get("rust_version"),
        "crate_size": len(v.crate),
    }


def _parse_publish(body: bytes) -> tuple[Json, bytes]:
    def u32(at: int) -> int:
        if len(body) < at + 4:
            raise RegistryError(400, "invalid upload request: body is truncated")
        return int.from_bytes(body[at : at + 4], "little")

    json_len = u32(0)
    crate_len = u32(4 + json_len)
    start = 8 + json_len
    if len(body) != start + crate_len:
        raise RegistryError(400, "invalid upload request: body length does not match")
    try:
        meta = json.loads(body[4 : 4 + json_len].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise RegistryError(400, f"invalid upload request: {err}") from err
    if not isinstance(meta, dict):
        raise RegistryError(400, "invalid upload request: metadata is not an object")
    name, vers = meta.get("name"), meta.get("vers")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RegistryError(
            400,
            f"invalid upload request: invalid crate name `{name}`: names start with a letter "
            "and have at most 64 letters, digits, `-` or `_`",
        )
    if not isinstance(vers, str) or not semver.Version.is_valid(vers):
        raise RegistryError(400, f"invalid upload request: invalid semver `{vers}`")
    missing = [f for f in ("description",) if not meta.get(f)]
    if not meta.get("license") and not meta.get("license_file"):
        missing.append("license")
    if missing:
        raise RegistryError(
            400,
            f"missing or empty metadata fields: {', '.join(missing)}. Please see "
            "https://doc.rust-lang.org/cargo/reference/manifest.html for more information "
            "on configuring these fields",
        )
    return meta, body[start:]


def _check_crate_file(crate: bytes, name: str, vers: str) -> None:
    """The upload must be a gzipped tarball holding `{name}-{vers}/Cargo.toml`."""
    try:
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(crate)), mode="r:") as tar:
            members = tar.getnames()
    except (OSError, EOFError, tarfile.TarError) as err:
        raise RegistryError(400, f"uploaded tarball is malformed: {err}") from err
    prefix = f"{name}-{vers}/"
    if any(not m.startswith(prefix) for m in members):
        raise RegistryError(400, f"invalid path found in the tarball: expected `{prefix}...`")
    if f"{prefix}Cargo.toml" not in members:
        raise RegistryError(400, "uploaded tarball is missing a `Cargo.toml` manifest file")


# -- the HTTP server --------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    registry: CrateRegistry


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    server_version = "crate-registry/1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        registry = self.server.registry
        if answer_fault(self, registry.faults, error_body=errors_body):
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_UPLOAD:
            self.close_connection = True
            detail = f"max upload size is: {MAX_UPLOAD}"
            self._send(Reply(413, errors_body(413, detail)[0]))
            return
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        try:
            reply = registry.handle(self.command, self.path, _Headers(headers), body)
        except Exception as err:  # a bug here must reach the test as a 500, not a hang
            reply = Reply(500, errors_body(500, f"internal error: {err!r}")[0])
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        if reply.status != 304:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body) if reply.status != 304 else 0))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD" and reply.status != 304:
            self.wfile.write(reply.body)


class _Headers(dict[str, str]):
    """Case-insensitive `get` over request headers."""

    def __init__(self, raw: Mapping[str, str]) -> None:
        super().__init__({k.lower(): v for k, v in raw.items()})

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


# -- pytest fixtures --------------------------------------------------------------------------

RegistryFactory = Callable[..., CrateRegistry]


@pytest.fixture(scope="module")
def crate_registry_factory() -> Iterator[RegistryFactory]:
    """Call it for a fresh, started registry (same arguments as `CrateRegistry`); every
    registry it made stops at the end of the module."""
    made: list[CrateRegistry] = []

    def make(token: str = DEFAULT_TOKEN, **kwargs: Any) -> CrateRegistry:
        registry = CrateRegistry(token, **kwargs).start()
        made.append(registry)
        return registry

    yield make
    for registry in made:
        registry.stop()


@pytest.fixture(scope="module")
def crate_registry(crate_registry_factory: RegistryFactory) -> CrateRegistry:
    """A registry shared by the tests of one module (clear `faults` after adding rules)."""
    return crate_registry_factory()

"""A loopback OCI registry: Debian's real `docker-registry` on 127.0.0.1, for the real `skopeo`.

It serves the Docker Registry HTTP API V2 (the OCI distribution API) of distribution 2.8:
`/v2/` for the ping, `/v2/<repo>/manifests/<ref>` (GET, HEAD, PUT, DELETE: deletes are on),
blob uploads under `/v2/<repo>/blobs/uploads/` and `/v2/<repo>/tags/list`, with errors as
`{"errors": [{"code": "...", "message": "..."}]}`. Storage is a temporary folder; the
registry's own log goes to `log_path`, never to the test output.

Two modes: no authentication, or HTTP basic authentication from an htpasswd file (bcrypt),
with `username` and `password` as the only account (401 with `WWW-Authenticate: Basic` for
anyone else).

Clients talk to `url`/`host`, a small threaded reverse proxy in front of the registry that
asks a `Faults` object (tests/services/faults.py) about every request before passing it on,
so tests can fail, rate-limit, drop or slow any request and count what a client sent:

    registry.faults.fail(r"/manifests/", status=500, nth=1, method="PUT")
    registry.faults.count(r"/blobs/", method="PUT")

The inspection helpers (`digest`, `manifest`, `tags`, `inspect_digest`) talk to the registry
itself, so fault rules never disturb them and never see their requests.

Images are built without a Docker engine: `build_oci_layout` writes a small deterministic OCI
image layout (one platform: an image manifest; several: an image index), and `push` copies it
with `skopeo copy --all --preserve-digests`:

    with DockerRegistry(auth=True) as registry:
        digest = registry.push("acme/app", "1.0.0", seed="v1", platforms=TWO)
        assert registry.digest("acme/app", "1.0.0") == digest
        registry.faults.reset()
        release_tool_publishes(registry.url, registry.username, registry.password)
        assert registry.faults.count(r"/blobs/", method="PUT") == 0

In tests use the fixtures `docker_registry` (module scope, anonymous), `docker_registry_auth`
(module scope, basic authentication) or `docker_registry_factory` (fresh registries for one
test); reset `faults` in the tests that add rules.

Needs the Debian packages `docker-registry` and `skopeo`, and the Python package `bcrypt`.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import http.client
import io
import json
import os
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import bcrypt
import pytest

from tests.services.faults import Faults, answer_fault
from tests.services.pypi import free_port

REGISTRY_BINARY = "docker-registry"
SKOPEO = "skopeo"
DEFAULT_USERNAME = "release-bot"
DEFAULT_PASSWORD = "loopback-registry-s3cret"
REALM = "release-toolkit loopback registry"
DEFAULT_PLATFORMS: tuple[str, ...] = ("linux/amd64",)
START_TIMEOUT = 20.0

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MANIFEST_TYPES = (OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST)
# What a client sends to get any manifest as stored, never a conversion of it.
MANIFEST_ACCEPT = ", ".join(MANIFEST_TYPES)
REF_NAME = "org.opencontainers.image.ref.name"

Json = dict[str, Any]

# Registry error codes a status stands for (distribution's errcode names).
_ERROR_CODES = {
    400: "UNSUPPORTED",
    401: "UNAUTHORIZED",
    403: "DENIED",
    404: "NAME_UNKNOWN",
    405: "UNSUPPORTED",
    429: "TOOMANYREQUESTS",
    503: "UNAVAILABLE",
}


def oci_error_body(status: int, message: str) -> tuple[bytes, str]:
    """The distribution API's error format, for answers the fault rules inject."""
    code = _ERROR_CODES.get(status, "UNKNOWN")
    payload = {"errors": [{"code": code, "message": message, "detail": None}]}
    return json.dumps(payload).encode(), "application/json; charset=utf-8"


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# -- image layouts ----------------------------------------------------------------------------


def _canonical(payload: Json) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _platform(spec: str) -> Json:
    """`linux/arm64/v8` -> {"os": "linux", "architecture": "arm64", "variant": "v8"}."""
    parts = spec.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise ValueError(f"platform must be os/arch[/variant], not {spec!r}")
    found: Json = {"architecture": parts[1], "os": parts[0]}
    if len(parts) == 3:
        found["variant"] = parts[2]
    return found


def _layer_tar(seed: str, platform: str) -> bytes:
    """A tiny tar, byte-for-byte the same for the same seed and platform (fixed mtimes/owners)."""
    files = {
        "etc/release-toolkit/seed": f"{seed}\n".encode(),
        "etc/release-toolkit/platform": f"{platform}\n".encode(),
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for folder in ("etc/", "etc/release-toolkit/"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
            tar.addfile(info)
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


class _Blobs:
    """Writes content-addressed blobs into `blobs/sha256/` of a layout."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "blobs" / "sha256"
        self.folder.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, media_type: str) -> Json:
        digest = sha256_digest(data)
        (self.folder / digest.removeprefix("sha256:")).write_bytes(data)
        return {"mediaType": media_type, "digest": digest, "size": len(data)}


def build_oci_layout(
    dest: Path, *, seed: str, platforms: Sequence[str] = DEFAULT_PLATFORMS
) -> None:
    """Write an OCI image layout at `dest` whose top image is tagged `latest`.

    Each platform gets one gzipped tar layer whose content depends on `seed` and the platform,
    an image config and an image manifest; several platforms are gathered in an image index.
    The same arguments always give the same bytes, hence the same digests.
    """
    if not platforms:
        raise ValueError("at least one platform")
    dest.mkdir(parents=True, exist_ok=True)
    blobs = _Blobs(dest)
    manifests: list[Json] = []
    for spec in platforms:
        platform = _platform(spec)
        tar = _layer_tar(seed, spec)
        layer = blobs.put(gzip.compress(tar, mtime=0), OCI_LAYER)
        config: Json = {
            **platform,
            "config": {"Cmd": ["/bin/true"], "Labels": {"release-toolkit.seed": seed}},
            "created": "1970-01-01T00:00:00Z",
            "rootfs": {"type": "layers", "diff_ids": [sha256_digest(tar)]},
        }
        image: Json = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": blobs.put(_canonical(config), OCI_CONFIG),
            "layers": [layer],
        }
        manifests.append({**blobs.put(_canonical(image), OCI_MANIFEST), "platform": platform})
    if len(manifests) == 1:
        top = {k: v for k, v in manifests[0].items() if k != "platform"}
    else:
        index: Json = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests}
        top = blobs.put(_canonical(index), OCI_INDEX)
    top["annotations"] = {REF_NAME: "latest"}
    layout_index: Json = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [top]}
    (dest / "index.json").write_bytes(_canonical(layout_index))
    (dest / "oci-layout").write_bytes(_canonical({"imageLayoutVersion": "1.0.0"}))


def layout_digest(dest: Path, ref: str = "latest") -> str:
    """The digest of the image (manifest or index) tagged `ref` in the layout at `dest`."""
    index = json.loads((dest / "index.json").read_bytes())
    for entry in index["manifests"]:
        if entry.get("annotations", {}).get(REF_NAME) == ref:
            return str(entry["digest"])
    raise KeyError(f"no image tagged {ref!r} in {dest}")


# -- the fault-injecting proxy ----------------------------------------------------------------

# Hop-by-hop headers (RFC 9110 7.6.1): they describe one connection and are not forwarded.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
_CHUNK = 1 << 16
_UPSTREAM_TIMEOUT = 60.0


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    faults: Faults
    upstream_port: int


class _ProxyHandler(BaseHTTPRequestHandler):
    """Forwards one client connection's requests to the registry, after the fault rules."""

    protocol_version = "HTTP/1.1"
    server: _ProxyServer
    timeout = _UPSTREAM_TIMEOUT  # idle keep-alive connections end eventually

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # With --tls-verify=false, skopeo tries HTTPS first and falls back to HTTP when that
        # fails: close a TLS ClientHello (record type 0x16) at once rather than wait for a line.
        try:
            first = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return
        if first in (b"", b"\x16"):
            return
        super().handle()

    def do_GET(self) -> None:
        self._forward()

    def do_HEAD(self) -> None:
        self._forward()

    def do_PUT(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def do_PATCH(self) -> None:
        self._forward()

    def do_DELETE(self) -> None:
        self._forward()

    def _forward(self) -> None:
        if answer_fault(self, self.server.faults, error_body=oci_error_body):
            return
        body, chunked = self._request_body()
        upstream = http.client.HTTPConnection(
            "127.0.0.1", self.server.upstream_port, timeout=_UPSTREAM_TIMEOUT
        )
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            if "Host" not in self.headers:
                upstream.putheader("Host", f"127.0.0.1:{self.server.server_address[1]}")
            for key, value in self.headers.items():
                if key.lower() not in _HOP_BY_HOP:
                    upstream.putheader(key, value)
            if chunked:
                upstream.putheader("Transfer-Encoding", "chunked")
            try:
                upstream.endheaders(body, encode_chunked=chunked)
            except OSError:
                # The registry may answer (401, 413...) and close before reading the body:
                # pass its answer on; the rest of the body is lost, so is this connection.
                self.close_connection = True
            try:
                response = upstream.getresponse()
            except (OSError, http.client.HTTPException) as err:
                self._bad_gateway(err)
                return
            self._relay(response)
        finally:
            upstream.close()

    def _request_body(self) -> tuple[Iterator[bytes] | None, bool]:
        """The request body as a stream of chunks, and whether it came chunked."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(), True
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return (self._read_exactly(length), False) if length > 0 else (None, False)

    def _read_exactly(self, length: int) -> Iterator[bytes]:
        remaining = length
        while remaining:
            data = self.rfile.read(min(remaining, _CHUNK))
            if not data:
                self.close_connection = True
                return
            remaining -= len(data)
            yield data

    def _read_chunked(self) -> Iterator[bytes]:
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                return
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers, then the blank line
                    pass
                return
            yield from self._read_exactly(size)
            self.rfile.readline(8)  # the CRLF after each chunk

    def _relay(self, response: http.client.HTTPResponse) -> None:
        self.send_response_only(response.status, response.reason)
        length = response.getheader("Content-Length")
        no_body = self.command == "HEAD" or response.status in (204, 304)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        relay_chunked = not no_body and length is None
        if relay_chunked:
            self.send_header("Transfer-Encoding", "chunked")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if no_body:
            return
        try:
            while data := response.read(_CHUNK):
                if relay_chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                else:
                    self.wfile.write(data)
            if relay_chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (OSError, http.client.HTTPException):
            self.close_connection = True

    def _bad_gateway(self, err: BaseException) -> None:
        body, ctype = oci_error_body(502, f"loopback proxy: registry unreachable: {err}")
        self.close_connection = True
        self.send_response(502)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# -- the registry -----------------------------------------------------------------------------


class RegistryStartError(RuntimeError):
    pass


class DockerRegistry:
    """`docker-registry serve` on 127.0.0.1 behind a fault-injecting proxy."""

    def __init__(
        self,
        workdir: Path | None = None,
        *,
        auth: bool = False,
        username: str = DEFAULT_USERNAME,
        password: str = DEFAULT_PASSWORD,
        faults: Faults | None = None,
    ) -> None:
        self.auth = auth
        self.username = username
        self.password = password
        self.faults = faults or Faults()
        self._own_workdir: tempfile.TemporaryDirectory[str] | None = None
        if workdir is None:
            self._own_workdir = tempfile.TemporaryDirectory(prefix="docker-registry-")
            workdir = Path(self._own_workdir.name)
        self.workdir = workdir
        self.storage = workdir / "storage"
        self.config_path = workdir / "config.yml"
        self.htpasswd_path = workdir / "htpasswd"
        self.log_path = workdir / "registry.log"
        self.registry_port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._proxy: _ProxyServer | None = None
        self._proxy_thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> DockerRegistry:
        if self._process is not None:
            return self
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.storage.mkdir(exist_ok=True)
        if self.auth:
            # The registry makes up an account of its own when the file is missing: write it
            # first. Cost 4 (bcrypt's minimum) keeps every authenticated request fast.
            hashed = bcrypt.hashpw(self.password.encode(), bcrypt.gensalt(rounds=4, prefix=b"2a"))
            self.htpasswd_path.write_text(f"{self.username}:{hashed.decode()}\n")
        for _attempt in range(3):  # free_port() can race with another process
            self.registry_port = free_port()
            self.config_path.write_text(self._config())
            if self._launch():
                break
        else:
            raise RegistryStartError(f"docker-registry did not start:\n{self.log_tail()}")
        self._start_proxy()
        return self

    def stop(self) -> None:
        proxy, thread, process = self._proxy, self._proxy_thread, self._process
        self._proxy = self._proxy_thread = self._process = None
        if proxy is not None:
            proxy.shutdown()
            proxy.server_close()
        if thread is not None:
            thread.join(timeout=5)
        if process is not None:
            _end(process)
        if self._own_workdir is not None:
            self._own_workdir.cleanup()
            self._own_workdir = None

    def __enter__(self) -> DockerRegistry:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _config(self) -> str:
        # JSON is YAML: no YAML library needed.
        config: Json = {
            "version": 0.1,
            "log": {"level": "info", "formatter": "text", "accesslog": {"disabled": False}},
            "storage": {
                "filesystem": {"rootdirectory": str(self.storage)},
                "delete": {"enabled": True},
                "cache": {"blobdescriptor": "inmemory"},
            },
            "http": {
                "addr": f"127.0.0.1:{self.registry_port}",
                "secret": "loopback-registry-upload-secret",
                "headers": {"X-Content-Type-Options": ["nosniff"]},
            },
        }
        if self.auth:
            config["auth"] = {"htpasswd": {"realm": REALM, "path": str(self.htpasswd_path)}}
        return json.dumps(config, indent=2) + "\n"

    def _launch(self) -> bool:
        """Start the registry and wait for `GET /v2/` to answer; False when it exited."""
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(
                [REGISTRY_BINARY, "serve", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                urllib.request.urlopen(f"{self.registry_url}/v2/", timeout=1).close()
                break
            except urllib.error.HTTPError:  # 401 in auth mode: up all the same
                break
            except OSError:
                time.sleep(0.05)
        else:
            _end(process)
            raise RegistryStartError(f"docker-registry did not answer:\n{self.log_tail()}")
        self._process = process
        return True

    def _start_proxy(self) -> None:
        proxy = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
        proxy.faults = self.faults
        proxy.upstream_port = self.registry_port
        self._proxy = proxy
        self._proxy_thread = threading.Thread(
            target=proxy.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"docker-registry-proxy:{self.port}",
            daemon=True,
        )
        self._proxy_thread.start()

    def log_tail(self, lines: int = 40) -> str:
        """The end of the registry's own log, for error messages."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # -- what clients need ---------------------------------------------------------------

    @property
    def port(self) -> int:
        """The proxy's port: the one clients use."""
        return self._proxy.server_address[1] if self._proxy is not None else 0

    @property
    def host(self) -> str:
        """`127.0.0.1:PORT`, the registry part of an image name (through the proxy)."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The API root clients use (through the proxy, so fault rules apply)."""
        return f"http://{self.host}"

    @property
    def registry_host(self) -> str:
        """The registry itself, bypassing the proxy and its faults."""
        return f"127.0.0.1:{self.registry_port}"

    @property
    def registry_url(self) -> str:
        return f"http://{self.registry_host}"

    @property
    def creds(self) -> str | None:
        """`user:password` for skopeo's --creds, None without authentication."""
        return f"{self.username}:{self.password}" if self.auth else None

    def auth_headers(self) -> dict[str, str]:
        """The Authorization header of the account (empty without authentication)."""
        if not self.auth:
            return {}
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def image(self, repo: str, ref: str) -> str:
        """`127.0.0.1:PORT/repo:tag` (or `...repo@sha256:...`), through the proxy."""
        return f"{self.host}/{_reference(repo, ref)}"

    # -- pushing and inspecting ----------------------------------------------------------

    def skopeo(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        """Run skopeo with no system policy and no user credentials file."""
        env = {**os.environ, "REGISTRY_AUTH_FILE": str(self.workdir / "no-auth.json")}
        result = subprocess.run(
            [SKOPEO, "--insecure-policy", *args],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"skopeo {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stderr.decode(errors='replace')}"
            )
        return result

    def push(
        self, repo: str, tag: str, *, seed: str, platforms: Sequence[str] = DEFAULT_PLATFORMS
    ) -> str:
        """Build an image (`build_oci_layout`) and push it as `repo:tag` with skopeo, through
        the proxy; return the digest of the manifest (or index) as the registry stores it."""
        with tempfile.TemporaryDirectory(dir=self.workdir, prefix="push-") as tmp:
            layout = Path(tmp) / "layout"
            build_oci_layout(layout, seed=seed, platforms=platforms)
            digest_file = Path(tmp) / "digest"
            creds = ["--dest-creds", self.creds] if self.creds else []
            self.skopeo(
                "copy",
                "--quiet",
                "--all",
                "--preserve-digests",
                "--dest-tls-verify=false",
                *creds,
                "--digestfile",
                str(digest_file),
                f"oci:{layout}:latest",
                f"docker://{self.image(repo, tag)}",
            )
            pushed = digest_file.read_text().strip()
            built = layout_digest(layout)
        stored = self.digest(repo, tag)
        if not pushed == built == stored:
            raise RuntimeError(f"digests differ: built {built}, pushed {pushed}, stored {stored}")
        return pushed

    def _request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request to the registry itself (no proxy, no faults), with the account."""
        request = urllib.request.Request(
            f"{self.registry_url}{path}",
            method=method,
            headers={**self.auth_headers(), **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, dict(err.headers.items()), err.read()

    def digest(self, repo: str, ref: str) -> str | None:
        """The digest the registry gives `repo:ref` (`Docker-Content-Digest`), None if none."""
        status, headers, _ = self._request(
            "HEAD", f"/v2/{repo}/manifests/{ref}", {"Accept": MANIFEST_ACCEPT}
        )
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError(f"HEAD {repo}:{ref}: HTTP {status}")
        return headers.get("Docker-Content-Digest")

    def manifest(self, repo: str, ref: str) -> tuple[bytes, str] | None:
        """The manifest bytes of `repo:ref` as stored, and their media type; None if none."""
        status, headers, body = self._request(
            "GET", f"/v2/{repo}/manifests/{ref}", {"Accept": MANIFEST_ACCEPT}
        )
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError(f"GET {repo}:{ref}: HTTP {status}: {body[:200]!r}")
        return body, headers.get("Content-Type", "")

    def tags(self, repo: str) -> list[str]:
        """The tags of `repo`, sorted; [] when the repository does not exist."""
        status, _, body = self._request("GET", f"/v2/{repo}/tags/list")
        if status == 404:
            return []
        if status != 200:
            raise RuntimeError(f"GET {repo} tags: HTTP {status}: {body[:200]!r}")
        return sorted(json.loads(body).get("tags") or [])

    def inspect_digest(self, repo: str, ref: str) -> str:
        """The digest of `repo:ref` as skopeo sees it: sha256 of `skopeo inspect --raw`."""
        creds = ["--creds", self.creds] if self.creds else ["--no-creds"]
        raw = self.skopeo(
            "inspect",
            "--raw",
            "--tls-verify=false",
            *creds,
            f"docker://{self.registry_host}/{_reference(repo, ref)}",
        ).stdout
        return sha256_digest(raw)


def _reference(repo: str, ref: str) -> str:
    """`repo:tag`, or `repo@digest` when `ref` is a digest."""
    return f"{repo}@{ref}" if ref.startswith("sha256:") else f"{repo}:{ref}"


def _end(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# -- pytest fixtures --------------------------------------------------------------------------

DockerRegistryFactory = Callable[..., DockerRegistry]


@contextlib.contextmanager
def _registries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerRegistryFactory]:
    made: list[DockerRegistry] = []

    def make(*, auth: bool = False, **kwargs: Any) -> DockerRegistry:
        workdir = tmp_path_factory.mktemp("docker-registry")
        registry = DockerRegistry(workdir, auth=auth, **kwargs)
        made.append(registry)
        return registry.start()

    try:
        yield make
    finally:
        for registry in made:
            registry.stop()


@pytest.fixture
def docker_registry_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DockerRegistryFactory]:
    """Call it for a fresh, started registry (`auth=True` for htpasswd authentication, and
    `DockerRegistry`'s other keywords); every registry it made stops after the test."""
    with _registries(tmp_path_factory) as make:
        yield make


@pytest.fixture(scope="module")
def docker_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerRegistry]:
    """A registry without authentication, shared by one module's tests (reset `faults`)."""
    with _registries(tmp_path_factory) as make:
        yield make()


@pytest.fixture(scope="module")
def docker_registry_auth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerRegistry]:
    """A registry with basic authentication (`username`/`password`), shared by one module."""
    with _registries(tmp_path_factory) as make:
        yield make(auth=True)

"""The loopback OCI registry: the real docker-registry, driven by the real skopeo and raw HTTP."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import json
import socket
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from tests.services.docker_registry import (
    MANIFEST_ACCEPT,
    OCI_INDEX,
    OCI_MANIFEST,
    DockerRegistry,
    DockerRegistryFactory,
    build_oci_layout,
    layout_digest,
    sha256_digest,
)

TWO_PLATFORMS = ["linux/amd64", "linux/arm64/v8"]

# -- helpers ----------------------------------------------------------------------------------


class Answer:
    def __init__(self, status: int, headers: Message, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> dict[str, object]:
        found = json.loads(self.body)
        assert isinstance(found, dict)
        return found


def call(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    data: bytes | None = None,
) -> Answer:
    """One HTTP request; error statuses are answers too."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as err:
        with err:
            return Answer(err.code, err.headers, err.read())


def layout_blob(layout: Path, digest: str) -> bytes:
    return (layout / "blobs" / "sha256" / digest.removeprefix("sha256:")).read_bytes()


@pytest.fixture
def registry(docker_registry: DockerRegistry) -> Iterator[DockerRegistry]:
    """The module's registry, with no fault rules and an empty request log."""
    docker_registry.faults.reset()
    yield docker_registry
    docker_registry.faults.reset()


@pytest.fixture
def auth_registry(docker_registry_auth: DockerRegistry) -> Iterator[DockerRegistry]:
    docker_registry_auth.faults.reset()
    yield docker_registry_auth
    docker_registry_auth.faults.reset()


# -- image layouts ----------------------------------------------------------------------------


def test_layout_is_deterministic_and_depends_on_the_seed(tmp_path: Path) -> None:
    build_oci_layout(tmp_path / "a", seed="one")
    build_oci_layout(tmp_path / "b", seed="one")
    build_oci_layout(tmp_path / "c", seed="two")

    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    for name in files:
        if (tmp_path / "a" / name).is_file():
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert layout_digest(tmp_path / "a") == layout_digest(tmp_path / "b")
    assert layout_digest(tmp_path / "a") != layout_digest(tmp_path / "c")
    assert json.loads((tmp_path / "a" / "oci-layout").read_text()) == {
        "imageLayoutVersion": "1.0.0"
    }


def test_layout_of_one_platform_is_an_image_manifest(tmp_path: Path) -> None:
    build_oci_layout(tmp_path, seed="s", platforms=["linux/arm64/v8"])
    [top] = json.loads((tmp_path / "index.json").read_text())["manifests"]
    assert top["mediaType"] == OCI_MANIFEST
    assert top["annotations"] == {"org.opencontainers.image.ref.name": "latest"}

    raw = layout_blob(tmp_path, top["digest"])
    assert sha256_digest(raw) == top["digest"] and len(raw) == top["size"]
    manifest = json.loads(raw)
    config = json.loads(layout_blob(tmp_path, manifest["config"]["digest"]))
    assert (config["os"], config["architecture"], config["variant"]) == ("linux", "arm64", "v8")
    [layer] = manifest["layers"]
    tar = gzip.decompress(layout_blob(tmp_path, layer["digest"]))
    assert config["rootfs"] == {"type": "layers", "diff_ids": [sha256_digest(tar)]}
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        seed = archive.extractfile("etc/release-toolkit/seed")
        assert seed is not None and seed.read() == b"s\n"
        assert {m.mtime for m in archive.getmembers()} == {0}


def test_layout_of_two_platforms_is_an_image_index(tmp_path: Path) -> None:
    build_oci_layout(tmp_path, seed="s", platforms=TWO_PLATFORMS)
    [top] = json.loads((tmp_path / "index.json").read_text())["manifests"]
    assert top["mediaType"] == OCI_INDEX
    index = json.loads(layout_blob(tmp_path, top["digest"]))
    assert index["mediaType"] == OCI_INDEX
    assert [m["platform"] for m in index["manifests"]] == [
        {"os": "linux", "architecture": "amd64"},
        {"os": "linux", "architecture": "arm64", "variant": "v8"},
    ]
    layers = set()
    for entry in index["manifests"]:
        assert entry["mediaType"] == OCI_MANIFEST
        layers.add(json.loads(layout_blob(tmp_path, entry["digest"]))["layers"][0]["digest"])
    assert len(layers) == 2  # each platform has its own layer


# -- pushing with skopeo ----------------------------------------------------------------------


def test_push_one_platform(registry: DockerRegistry, tmp_path: Path) -> None:
    digest = registry.push("acme/single", "1.0.0", seed="single")

    build_oci_layout(tmp_path, seed="single")
    assert digest == layout_digest(tmp_path)  # --preserve-digests: stored as built
    assert registry.inspect_digest("acme/single", "1.0.0") == digest
    assert registry.digest("acme/single", "1.0.0") == digest
    found = registry.manifest("acme/single", "1.0.0")
    assert found is not None
    raw, media_type = found
    assert media_type == OCI_MANIFEST and sha256_digest(raw) == digest
    # Everything went through the proxy: skopeo followed the registry's upload Locations.
    assert registry.faults.count(r"/blobs/uploads/", method="PUT") == 2  # config and layer
    assert registry.faults.count(r"/manifests/1\.0\.0$", method="PUT") == 1


def test_push_two_platforms(registry: DockerRegistry) -> None:
    digest = registry.push("acme/multi", "1.0.0", seed="multi", platforms=TWO_PLATFORMS)

    assert registry.inspect_digest("acme/multi", "1.0.0") == digest
    assert registry.digest("acme/multi", "1.0.0") == digest
    found = registry.manifest("acme/multi", "1.0.0")
    assert found is not None
    raw, media_type = found
    assert media_type == OCI_INDEX and sha256_digest(raw) == digest
    children = json.loads(raw)["manifests"]
    assert [c["platform"]["architecture"] for c in children] == ["amd64", "arm64"]
    for child in children:  # each platform's manifest is stored under its own digest
        assert registry.digest("acme/multi", child["digest"]) == child["digest"]
        assert registry.inspect_digest("acme/multi", child["digest"]) == child["digest"]


def test_tags(registry: DockerRegistry) -> None:
    assert registry.tags("acme/tags") == []
    assert registry.digest("acme/tags", "1.0.0") is None
    first = registry.push("acme/tags", "1.0.0", seed="a")
    registry.push("acme/tags", "latest", seed="a")
    second = registry.push("acme/tags", "0.9.0", seed="b")

    assert registry.tags("acme/tags") == ["0.9.0", "1.0.0", "latest"]
    assert registry.digest("acme/tags", "latest") == first != second
    assert registry.digest("acme/tags", "2.0.0") is None


def test_second_push_of_the_same_image_uploads_no_blob(registry: DockerRegistry) -> None:
    registry.push("acme/again", "1", seed="again")
    registry.faults.reset()
    registry.push("acme/again", "2", seed="again")
    assert registry.faults.count(r"/blobs/uploads/") == 0
    assert registry.faults.count(r"/blobs/sha256:", method="HEAD") > 0


# -- authentication ---------------------------------------------------------------------------


def test_auth_refuses_anonymous_requests(auth_registry: DockerRegistry) -> None:
    auth_registry.push("acme/private", "1.0.0", seed="private")

    for path in ("/v2/", "/v2/acme/private/manifests/1.0.0", "/v2/acme/private/tags/list"):
        answer = call("GET", auth_registry.url + path, headers={"Accept": MANIFEST_ACCEPT})
        assert answer.status == 401, path
        assert answer.headers["WWW-Authenticate"].startswith('Basic realm="'), path
        assert answer.json()["errors"][0]["code"] == "UNAUTHORIZED"  # type: ignore[index]

    wrong = DockerRegistry(auth=True, username=auth_registry.username, password="wrong")
    assert call("GET", auth_registry.url + "/v2/", headers=wrong.auth_headers()).status == 401
    refused = auth_registry.skopeo(
        "inspect",
        "--raw",
        "--tls-verify=false",
        "--no-creds",
        f"docker://{auth_registry.image('acme/private', '1.0.0')}",
        check=False,
    )
    assert refused.returncode != 0
    assert b"unauthorized" in refused.stderr.lower()


def test_auth_accepts_the_credentials(auth_registry: DockerRegistry) -> None:
    digest = auth_registry.push("acme/private", "2.0.0", seed="p2", platforms=TWO_PLATFORMS)
    answer = call(
        "GET",
        f"{auth_registry.url}/v2/acme/private/manifests/2.0.0",
        headers={"Accept": MANIFEST_ACCEPT, **auth_registry.auth_headers()},
    )
    assert answer.status == 200
    assert answer.headers["Docker-Content-Digest"] == digest == sha256_digest(answer.body)
    assert auth_registry.inspect_digest("acme/private", "2.0.0") == digest
    assert "2.0.0" in auth_registry.tags("acme/private")


# -- faults through the proxy -----------------------------------------------------------------


def test_fault_answers_500_in_the_registry_error_format(registry: DockerRegistry) -> None:
    registry.faults.fail(r"^/v2/$", status=500, nth=2)
    assert call("GET", registry.url + "/v2/").status == 200
    failed = call("GET", registry.url + "/v2/")
    assert failed.status == 500
    assert failed.headers["Content-Type"].startswith("application/json")
    assert failed.json()["errors"][0]["code"] == "UNKNOWN"  # type: ignore[index]
    assert call("GET", registry.url + "/v2/").status == 200  # times=1: fired once
    assert registry.faults.count(r"^/v2/$", method="GET") == 3
    assert [s.faults for s in registry.faults.requests] == [(), ("status",), ()]


def test_fault_rate_limits_with_retry_after(registry: DockerRegistry) -> None:
    registry.faults.rate_limit(r"/tags/list$", retry_after=2, times=2)
    for _ in range(2):
        limited = call("GET", registry.url + "/v2/acme/none/tags/list")
        assert limited.status == 429
        assert limited.headers["Retry-After"] == "2"
        assert limited.json()["errors"][0]["code"] == "TOOMANYREQUESTS"  # type: ignore[index]
    assert call("GET", registry.url + "/v2/acme/none/tags/list").status == 404  # real answer


def test_fault_drops_or_resets_the_connection(registry: DockerRegistry) -> None:
    registry.faults.drop(r"^/v2/$")
    with pytest.raises(http.client.RemoteDisconnected):  # closed without an answer
        call("GET", registry.url + "/v2/")
    registry.faults.drop(r"^/v2/$", reset=True)
    with pytest.raises(ConnectionResetError):  # a TCP reset
        call("GET", registry.url + "/v2/")
    assert call("GET", registry.url + "/v2/").status == 200
    assert registry.faults.count(r"^/v2/$") == 3
    assert [s.faults for s in registry.faults.requests] == [("drop",), ("drop",), ()]


def test_fault_slows_a_request(registry: DockerRegistry) -> None:
    registry.faults.slow(r"/tags/list$", seconds=0.3)
    started = time.monotonic()
    assert call("GET", registry.url + "/v2/acme/none/tags/list").status == 404
    assert time.monotonic() - started >= 0.3


def test_fault_on_the_manifest_put_fails_the_push(registry: DockerRegistry) -> None:
    registry.faults.fail(r"/manifests/", status=500, nth=1, method="PUT")
    with pytest.raises(RuntimeError, match="skopeo copy"):
        registry.push("acme/faulty", "1.0.0", seed="faulty")
    assert registry.digest("acme/faulty", "1.0.0") is None
    assert registry.faults.count(r"/blobs/uploads/", method="PUT") == 2  # the blobs got in

    registry.faults.reset()
    digest = registry.push("acme/faulty", "1.0.0", seed="faulty")
    assert registry.digest("acme/faulty", "1.0.0") == digest
    assert registry.faults.count(r"/blobs/uploads/") == 0  # already there


def test_proxy_streams_chunked_bodies_both_ways(registry: DockerRegistry) -> None:
    blob = bytes(range(256)) * 8192  # 2 MiB, sent chunked as an upload in one PUT
    digest = sha256_digest(blob)
    started = call("POST", f"{registry.url}/v2/acme/raw/blobs/uploads/", data=b"")
    assert started.status == 202
    location = started.headers["Location"]
    assert location.startswith(registry.url)  # built from the Host the proxy passed on

    connection = http.client.HTTPConnection("127.0.0.1", registry.port, timeout=10)
    target = location.removeprefix(registry.url)
    connection.request(
        "PUT",
        f"{target}&digest={digest}" if "?" in target else f"{target}?digest={digest}",
        body=iter([blob[i : i + 100_000] for i in range(0, len(blob), 100_000)]),
        headers={"Content-Type": "application/octet-stream"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 201
    assert response.getheader("Docker-Content-Digest") == digest

    fetched = call("GET", f"{registry.url}/v2/acme/raw/blobs/{digest}")
    assert fetched.status == 200 and hashlib.sha256(fetched.body).hexdigest() == digest[7:]


# -- what the publish step relies on: a tag copied by manifest, without blobs -----------------


@pytest.mark.parametrize(
    ("which", "platforms", "media_type"),
    [
        ("docker_registry", ["linux/amd64"], OCI_MANIFEST),
        ("docker_registry_auth", TWO_PLATFORMS, OCI_INDEX),
    ],
    ids=["manifest-anonymous", "index-with-credentials"],
)
def test_manifest_copy_keeps_the_digest_and_moves_no_blob(
    request: pytest.FixtureRequest, which: str, platforms: list[str], media_type: str
) -> None:
    registry: DockerRegistry = request.getfixturevalue(which)
    digest = registry.push("acme/copy", "1.2.3", seed=which, platforms=platforms)
    registry.faults.reset()
    auth = registry.auth_headers()

    got = call(
        "GET",
        f"{registry.url}/v2/acme/copy/manifests/1.2.3",
        headers={"Accept": MANIFEST_ACCEPT, **auth},
    )
    assert got.status == 200 and got.headers["Content-Type"] == media_type
    put = call(
        "PUT",
        f"{registry.url}/v2/acme/copy/manifests/latest",
        data=got.body,
        headers={"Content-Type": got.headers["Content-Type"], **auth},
    )
    assert put.status == 201
    assert put.headers["Docker-Content-Digest"] == digest

    assert registry.digest("acme/copy", "latest") == digest
    assert registry.inspect_digest("acme/copy", "latest") == digest
    assert registry.faults.count(r"/blobs/") == 0  # no HEAD, POST, PATCH or PUT of a blob
    assert registry.faults.count(r"/manifests/") == 2
    registry.faults.reset()


def test_manifest_put_needs_its_exact_media_type(registry: DockerRegistry) -> None:
    registry.push("acme/types", "1", seed="types", platforms=TWO_PLATFORMS)
    found = registry.manifest("acme/types", "1")
    assert found is not None
    raw, _ = found
    for wrong in ("application/json", OCI_MANIFEST):
        refused = call(
            "PUT",
            f"{registry.url}/v2/acme/types/manifests/2",
            data=raw,
            headers={"Content-Type": wrong},
        )
        assert refused.status == 400
        assert refused.json()["errors"][0]["code"] == "MANIFEST_INVALID"  # type: ignore[index]
    assert registry.tags("acme/types") == ["1"]


# -- lifecycle --------------------------------------------------------------------------------


def test_factory_makes_fresh_registries_that_stop(
    docker_registry_factory: DockerRegistryFactory,
) -> None:
    one = docker_registry_factory()
    two = docker_registry_factory(auth=True, username="ci", password="pw")
    one.push("acme/fresh", "1", seed="fresh")
    assert one.tags("acme/fresh") == ["1"]
    assert two.tags("acme/fresh") == []
    assert (two.username, two.creds) == ("ci", "ci:pw")
    assert one.log_path.stat().st_size > 0  # the registry logs to its file

    port, registry_port = one.port, one.registry_port
    one.stop()
    assert not one.running
    for closed in (port, registry_port):
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection(("127.0.0.1", closed), timeout=2),
        ):
            pass


def test_context_manager_cleans_up_its_own_folder() -> None:
    with DockerRegistry() as registry:
        workdir = registry.workdir
        assert call("GET", registry.url + "/v2/").status == 200
    assert not workdir.exists()

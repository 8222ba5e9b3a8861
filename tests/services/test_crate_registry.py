"""The loopback Cargo registry, driven by the machine's real cargo and by raw HTTP."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.services.crate_registry import (
    CrateRegistry,
    RegistryFactory,
    index_path,
    publish_body,
    split_features,
)

# -- helpers ----------------------------------------------------------------------------------


@dataclass
class Cargo:
    """The real cargo with one CARGO_HOME and target dir for the whole module."""

    home: Path
    target: Path

    def __call__(
        self,
        cwd: Path,
        *args: str,
        registry: CrateRegistry,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        full = {
            **os.environ,
            "CARGO_HOME": str(self.home),
            "CARGO_TARGET_DIR": str(self.target),
            "CARGO_TERM_COLOR": "never",
            "CARGO_TERM_PROGRESS_WHEN": "never",
            **registry.env,
            **(env or {}),
        }
        return subprocess.run(
            ["cargo", *args],
            cwd=cwd,
            env=full,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )


@pytest.fixture(scope="module")
def cargo(tmp_path_factory: pytest.TempPathFactory) -> Cargo:
    return Cargo(tmp_path_factory.mktemp("cargo-home"), tmp_path_factory.mktemp("cargo-target"))


def write(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def manifest(name: str, version: str = "0.1.0", deps: str = "", extra: str = "") -> str:
    return (
        f'[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'
        f'description = "{name}, a test crate"\nlicense = "MIT"\n{extra}'
        f"\n[dependencies]\n{deps}"
    )


def single_crate(root: Path, name: str, registry: CrateRegistry, version: str = "0.1.0") -> Path:
    write(root, {"Cargo.toml": manifest(name, version), "src/lib.rs": "pub fn x() {}\n"})
    registry.cargo_config(root)
    return root


def http(
    registry: CrateRegistry,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        registry.url + path, data=body, method=method, headers=dict(headers or {})
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def crate_tarball(name: str, version: str) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        data = manifest(name, version).encode()
        info = tarfile.TarInfo(f"{name}-{version}/Cargo.toml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue())


def metadata(name: str, version: str, **extra: Any) -> dict[str, Any]:
    """Publish metadata shaped like cargo's."""
    return {
        "name": name,
        "vers": version,
        "deps": [],
        "features": {},
        "authors": [],
        "description": f"{name}, a test crate",
        "license": "MIT",
        "license_file": None,
        "links": None,
        "rust_version": None,
        **extra,
    }


def dep(name: str, req: str, **extra: Any) -> dict[str, Any]:
    return {
        "optional": False,
        "default_features": True,
        "name": name,
        "features": [],
        "version_req": req,
        "target": None,
        "kind": "normal",
        "registry": None,
        "explicit_name_in_toml": None,
        **extra,
    }


def publish_raw(
    registry: CrateRegistry, meta: dict[str, Any], token: str | None = None
) -> tuple[int, Any]:
    """Publish over raw HTTP; `token=None` sends the registry's token, `""` none at all."""
    crate = crate_tarball(meta["name"], meta["vers"])
    given = registry.token if token is None else token
    headers = {"Authorization": given} if given else {}
    body = publish_body(meta, crate)
    status, _, answer = http(registry, "PUT", "/api/v1/crates/new", body, headers)
    return status, json.loads(answer)


# -- cargo: a chain a <- b <- c, published in order, then resolved -----------------------------


@pytest.fixture(scope="module")
def chain(
    crate_registry_factory: RegistryFactory,
    cargo: Cargo,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CrateRegistry, Path, list[float]]:
    """A fresh registry and a workspace whose three crates cargo published there, in order."""
    registry = crate_registry_factory()
    ws = write(
        tmp_path_factory.mktemp("chain"),
        {
            "Cargo.toml": '[workspace]\nmembers = ["a", "b", "c"]\nresolver = "2"\n',
            "a/Cargo.toml": manifest("chain-a", extra='\n[features]\ndefault = ["std"]\nstd = []'),
            "a/src/lib.rs": "pub fn a() -> u32 { 1 }\n",
            "b/Cargo.toml": manifest(
                "chain-b", deps='chain-a = { path = "../a", version = "0.1.0" }\n'
            ),
            "b/src/lib.rs": "pub fn b() -> u32 { chain_a::a() + 1 }\n",
            # c knows b under another name: the index must say name = alias, package = real.
            "c/Cargo.toml": manifest(
                "chain-c",
                deps='bee = { package = "chain-b", path = "../b", version = "0.1.0" }\n',
            ),
            "c/src/lib.rs": "pub fn c() -> u32 { bee::b() + 1 }\n",
        },
    )
    registry.cargo_config(ws)
    took = []
    for name in ("chain-a", "chain-b", "chain-c"):
        start = time.monotonic()
        # With verify: the packaged crate is built against its dependencies from the registry.
        proc = cargo(ws, "publish", "-p", name, "--registry", "local", registry=registry)
        took.append(time.monotonic() - start)
        assert proc.returncode == 0, proc.stderr
        assert f"Published {name} v0.1.0 at registry `local`" in proc.stderr
    return registry, ws, took


def test_cargo_publishes_a_chain_in_dependency_order(
    chain: tuple[CrateRegistry, Path, list[float]],
) -> None:
    registry, _, _ = chain
    assert registry.log.versions() == [
        ("chain-a", "0.1.0"),
        ("chain-b", "0.1.0"),
        ("chain-c", "0.1.0"),
    ]
    times = [r.time for r in registry.log]
    assert times == sorted(times)
    # Each verify downloaded the dependency it was built against.
    assert registry.faults.count(r"^/api/v1/crates/chain-a/0\.1\.0/download$") >= 1
    assert registry.faults.count(r"^/api/v1/crates/chain-b/0\.1\.0/download$") >= 1

    (a,) = registry.index_lines("chain-a")
    crate_a = registry.crate_file("chain-a", "0.1.0")
    assert crate_a is not None and a["cksum"] == hashlib.sha256(crate_a).hexdigest()
    assert a["features"] == {"default": ["std"], "std": []} and a["yanked"] is False
    (b,) = registry.index_lines("chain-b")
    assert b["deps"] == [
        {
            "name": "chain-a",
            "req": "^0.1.0",
            "features": [],
            "optional": False,
            "default_features": True,
            "target": None,
            "kind": "normal",
        }
    ]
    (c,) = registry.index_lines("chain-c")
    assert [(d["name"], d["package"]) for d in c["deps"]] == [("bee", "chain-b")]
    # What cargo sent: the real name plus explicit_name_in_toml, and crates.io as the registry
    # (the project publishes to this registry through a replaced crates.io source).
    sent = registry.metadata("chain-c", "0.1.0")
    assert sent is not None
    assert (sent["deps"][0]["name"], sent["deps"][0]["explicit_name_in_toml"]) == (
        "chain-b",
        "bee",
    )


def test_cargo_resolves_downloads_and_builds_from_the_registry(
    chain: tuple[CrateRegistry, Path, list[float]], cargo: Cargo, tmp_path: Path
) -> None:
    registry, _, _ = chain
    app = write(
        tmp_path / "app",
        {
            "Cargo.toml": '[package]\nname = "app"\nversion = "0.0.0"\nedition = "2021"\n'
            'publish = false\n\n[dependencies]\nchain-c = "0.1"\n',
            "src/main.rs": 'fn main() { println!("c={}", chain_c::c()); }\n',
        },
    )
    registry.cargo_config(app)
    downloads = registry.faults.count(r"/download$")
    lock = cargo(app, "generate-lockfile", registry=registry)
    assert lock.returncode == 0, lock.stderr
    packages = {p["name"]: p for p in _lock_packages(app / "Cargo.lock")}
    assert {"chain-a", "chain-b", "chain-c"} <= set(packages)
    for name in ("chain-a", "chain-b", "chain-c"):
        (line,) = registry.index_lines(name)
        assert packages[name]["checksum"] == line["cksum"]
    fetch = cargo(app, "fetch", registry=registry)
    assert fetch.returncode == 0, fetch.stderr
    # chain-a and chain-b were downloaded (into the shared CARGO_HOME) by the verifies.
    assert registry.faults.count(r"/download$") == downloads + 1
    cached = {f.name for f in (cargo.home / "registry" / "cache").glob("*/*.crate")}
    assert {"chain-a-0.1.0.crate", "chain-b-0.1.0.crate", "chain-c-0.1.0.crate"} <= cached
    run = cargo(app, "run", "-q", "--offline", registry=registry)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "c=3"


def _lock_packages(lock: Path) -> list[dict[str, str]]:
    packages: list[dict[str, str]] = []
    for block in lock.read_text().split("[[package]]")[1:]:
        fields = dict(line.split(" = ", 1) for line in block.strip().splitlines() if " = " in line)
        packages.append({k: v.strip('"') for k, v in fields.items()})
    return packages


def test_cargo_refuses_a_version_the_index_already_has(
    chain: tuple[CrateRegistry, Path, list[float]], cargo: Cargo
) -> None:
    registry, ws, _ = chain
    args = ("publish", "-p", "chain-a", "--registry", "local", "--no-verify")
    proc = cargo(ws, *args, registry=registry)
    assert proc.returncode != 0
    assert "crate chain-a@0.1.0 already exists on `local` index" in proc.stderr
    assert registry.log.count("chain-a") == 1


def test_republish_shows_the_registrys_error(
    crate_registry_factory: RegistryFactory, cargo: Cargo, tmp_path: Path
) -> None:
    # Another publisher's upload of the same version is not in the index yet, so cargo's own
    # "already exists" check passes and the upload reaches the registry, which refuses it.
    # (cargo cannot be the first publisher here: on stable it waits 60 s for the index.)
    registry = crate_registry_factory(index_delay=60)
    assert publish_raw(registry, metadata("dup-crate", "0.1.0"))[0] == 200
    assert registry.index_lines("dup-crate") == []  # not served yet
    project = single_crate(tmp_path / "dup", "dup-crate", registry)
    proc = cargo(project, "publish", "--registry", "local", "--no-verify", registry=registry)
    assert proc.returncode != 0
    assert "status 400 Bad Request" in proc.stderr
    assert "crate version `0.1.0` is already uploaded" in proc.stderr
    assert registry.log.count("dup-crate") == 1
    registry.serve_now()
    assert [line["vers"] for line in registry.index_lines("dup-crate")] == ["0.1.0"]
    again = cargo(project, "publish", "--registry", "local", "--no-verify", registry=registry)
    assert "crate dup-crate@0.1.0 already exists on `local` index" in again.stderr


def test_cargo_waits_until_the_index_serves_the_new_version(
    crate_registry_factory: RegistryFactory, cargo: Cargo, tmp_path: Path
) -> None:
    registry = crate_registry_factory(index_delay=2.0)
    project = single_crate(tmp_path / "slow", "slow-index", registry)
    start = time.monotonic()
    proc = cargo(project, "publish", "--registry", "local", "--no-verify", registry=registry)
    took = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    assert "waiting for slow-index v0.1.0 to be available" in proc.stderr
    (record,) = registry.log
    assert took >= 2.0 and registry.index_lines("slow-index")[0]["vers"] == "0.1.0"
    # cargo polled the index file until it showed the version.
    assert registry.faults.count(r"^/index/sl/ow/slow-index$") >= 2
    assert record.name == "slow-index"


def test_a_wrong_token_is_refused(
    crate_registry: CrateRegistry, cargo: Cargo, tmp_path: Path
) -> None:
    project = single_crate(tmp_path / "tok", "token-check", crate_registry)
    proc = cargo(
        project,
        "publish",
        "--registry",
        "local",
        "--no-verify",
        registry=crate_registry,
        env={"CARGO_REGISTRIES_LOCAL_TOKEN": "not-the-token"},
    )
    assert proc.returncode != 0
    assert "status 403 Forbidden" in proc.stderr
    assert "authentication failed" in proc.stderr
    assert crate_registry.log.count("token-check") == 0
    assert crate_registry.versions("token-check") == []


def test_cargo_sees_a_429_on_the_second_publish(
    crate_registry: CrateRegistry, cargo: Cargo, tmp_path: Path
) -> None:
    rule = crate_registry.faults.rate_limit("^/api/v1/crates/new$", nth=2, retry_after=3)
    try:
        args = ("publish", "--registry", "local", "--no-verify")
        one = single_crate(tmp_path / "one", "limited-one", crate_registry)
        two = single_crate(tmp_path / "two", "limited-two", crate_registry)
        first = cargo(one, *args, registry=crate_registry)
        assert first.returncode == 0, first.stderr
        second = cargo(two, *args, registry=crate_registry)
        assert second.returncode != 0
        assert "status 429 Too Many Requests" in second.stderr
        assert rule.fired == 1
        assert crate_registry.versions("limited-two") == []
        # The limit is over: the same publish goes through.
        again = cargo(two, *args, registry=crate_registry)
        assert again.returncode == 0, again.stderr
        assert crate_registry.log.count("limited-two") == 1
    finally:
        crate_registry.faults.remove(rule)


def test_cargo_retries_500s_and_resets_but_not_empty_replies(
    chain: tuple[CrateRegistry, Path, list[float]], cargo: Cargo, tmp_path: Path
) -> None:
    registry, _, _ = chain
    app = write(
        tmp_path / "flaky",
        {
            "Cargo.toml": '[package]\nname = "flaky"\nversion = "0.0.0"\nedition = "2021"\n'
            'publish = false\n\n[dependencies]\nchain-a = "0.1"\n',
            "src/lib.rs": "",
        },
    )
    registry.cargo_config(app)
    faults = registry.faults
    download = r"^/api/v1/crates/chain-a/0\.1\.0/download$"
    try:
        # A CARGO_HOME of its own: nothing cached, so cargo must read the index and download.
        home = Cargo(tmp_path / "home-1", cargo.target)
        five_hundred = faults.fail(r"^/index/ch/ai/chain-a$", status=500, nth=1)
        reset = faults.drop(download, reset=True)
        proc = home(app, "fetch", registry=registry, env={"CARGO_NET_RETRY": "2"})
        assert proc.returncode == 0, proc.stderr
        assert (five_hundred.fired, reset.fired) == (1, 1)
        assert "spurious network error" in proc.stderr and "got 500" in proc.stderr
        # An orderly close without an answer is not retried by cargo.
        home = Cargo(tmp_path / "home-2", cargo.target)
        empty = faults.drop(download)
        proc = home(app, "fetch", registry=registry, env={"CARGO_NET_RETRY": "2"})
        assert proc.returncode != 0 and empty.fired == 1
        assert "Empty reply from server" in proc.stderr
    finally:
        faults.clear()


# -- the protocol, over raw HTTP ----------------------------------------------------------------


def test_index_paths() -> None:
    assert [index_path(n) for n in ("a", "ab", "abc", "abcd", "Serde_JSON")] == [
        "1/a",
        "2/ab",
        "3/a/abc",
        "ab/cd/abcd",
        "se/rd/serde_json",
    ]


def test_split_features_like_crates_io() -> None:
    plain, extended = split_features(
        {"std": [], "default": ["std", "json"], "json": ["dep:serde_json"], "w": ["x?/y"]}
    )
    assert plain == {"std": []}
    assert extended == {"default": ["std", "json"], "json": ["dep:serde_json"], "w": ["x?/y"]}


def test_config_json_and_unknown_crates(crate_registry: CrateRegistry) -> None:
    status, _, body = http(crate_registry, "GET", "/index/config.json")
    assert status == 200
    assert json.loads(body) == {
        "dl": f"{crate_registry.url}/api/v1/crates",
        "api": crate_registry.url,
        "auth-required": False,
    }
    assert crate_registry.index_url == f"sparse+{crate_registry.url}/index/"
    assert http(crate_registry, "GET", "/index/no/pe/nope-nothing")[0] == 404
    status, _, body = http(crate_registry, "GET", "/api/v1/crates/nope-nothing/1.0.0/download")
    assert status == 404 and json.loads(body)["errors"][0]["detail"]


def test_publish_protocol_and_index_lines(crate_registry: CrateRegistry) -> None:
    reg = crate_registry
    assert publish_raw(reg, metadata("Raw_Base", "1.0.0")) == (
        200,
        {"warnings": {"invalid_categories": [], "invalid_badges": [], "other": []}},
    )
    meta = metadata(
        "raw-top",
        "0.2.0-rc.1",
        deps=[
            dep("raw-base", "^1", explicit_name_in_toml="base", optional=True),
            dep("Raw_Base", "^1.0", kind="dev", target="cfg(unix)"),
        ],
        features={"default": ["fast"], "fast": [], "b": ["dep:base"], "uses-b": ["b"]},
        links="top",
        rust_version="1.70",
    )
    assert publish_raw(reg, meta)[0] == 200
    (line,) = reg.index_lines("raw-top")
    crate = reg.crate_file("raw-top", "0.2.0-rc.1")
    assert crate is not None
    assert line == {
        "name": "raw-top",
        "vers": "0.2.0-rc.1",
        "deps": [
            {
                "name": "Raw_Base",
                "req": "^1.0",
                "features": [],
                "optional": False,
                "default_features": True,
                "target": "cfg(unix)",
                "kind": "dev",
            },
            {
                "name": "base",
                "req": "^1",
                "features": [],
                "optional": True,
                "default_features": True,
                "target": None,
                "kind": "normal",
                "package": "Raw_Base",
            },
        ],
        "cksum": hashlib.sha256(crate).hexdigest(),
        "features": {"default": ["fast"], "fast": []},
        "features2": {"b": ["dep:base"], "uses-b": ["b"]},
        "yanked": False,
        "links": "top",
        "rust_version": "1.70",
        "pubtime": line["pubtime"],
        "v": 2,
    }
    # The file is served at the lower-cased path, with validators cargo revalidates against.
    status, headers, body = http(reg, "GET", "/index/ra/w_/raw_base")
    assert status == 200 and json.loads(body)["name"] == "Raw_Base"
    assert http(reg, "GET", "/index/Ra/w_/Raw_Base")[0] == 404
    etag = {"If-None-Match": headers["ETag"]}
    assert http(reg, "GET", "/index/ra/w_/raw_base", headers=etag)[0] == 304
    since = {"If-Modified-Since": headers["Last-Modified"]}
    assert http(reg, "GET", "/index/ra/w_/raw_base", headers=since)[0] == 304
    status, _, body = http(reg, "GET", "/api/v1/crates/raw-top/0.2.0-rc.1/download")
    assert status == 200 and body == crate


def test_publish_errors_like_crates_io(crate_registry: CrateRegistry) -> None:
    reg = crate_registry
    assert publish_raw(reg, metadata("err-first", "1.0.0"))[0] == 200

    def detail(meta: dict[str, Any], token: str | None = None) -> tuple[int, str]:
        status, body = publish_raw(reg, meta, token)
        return status, body["errors"][0]["detail"]

    assert detail(metadata("err-first", "1.0.0")) == (
        400,
        "crate version `1.0.0` is already uploaded",
    )
    assert detail(metadata("err-first", "1.0.0+build.2"))[0] == 400
    assert detail(metadata("Err_First", "1.0.1")) == (
        400,
        "crate was previously named `err-first`",
    )
    assert detail(metadata("err-missing", "1.0.0", deps=[dep("no-such-crate", "^1")])) == (
        400,
        "no known crate named `no-such-crate`",
    )
    foreign = dep("err-first", "^1", registry="https://example.test/index")
    assert "Cross-registry" in detail(metadata("err-x", "1.0.0", deps=[foreign]))[1]
    assert "wildcard" in detail(metadata("err-w", "1.0.0", deps=[dep("err-first", "*")]))[1]
    unlabelled = metadata("err-meta", "1.0.0", description=None, license=None)
    assert "missing or empty metadata fields: description, license" in detail(unlabelled)[1]
    assert detail(metadata("err-bad", "1.0"))[0] == 400
    assert detail(metadata("err-new", "1.0.0"), token="wrong") == (
        403,
        "authentication failed: the given API token is not valid",
    )
    assert detail(metadata("err-new", "1.0.0"), token="") == (
        403,
        "this action requires authentication",
    )
    assert reg.log.count("err-first") == 1 and reg.versions("err-new") == []


def test_yank_and_unyank(crate_registry: CrateRegistry) -> None:
    reg = crate_registry
    assert publish_raw(reg, metadata("yank-me", "1.0.0"))[0] == 200
    auth = {"Authorization": reg.token}
    path = "/api/v1/crates/yank-me/1.0.0"
    assert http(reg, "DELETE", f"{path}/yank")[0] == 403
    status, _, body = http(reg, "DELETE", f"{path}/yank", headers=auth)
    assert (status, json.loads(body)) == (200, {"ok": True})
    assert reg.index_lines("yank-me")[0]["yanked"] is True
    assert http(reg, "PUT", f"{path}/unyank", headers=auth)[0] == 200
    assert reg.index_lines("yank-me")[0]["yanked"] is False
    assert http(reg, "DELETE", "/api/v1/crates/yank-me/9.9.9/yank", headers=auth)[0] == 404
    status, _, body = http(reg, "GET", "/api/v1/crates/yank-me/owners")
    assert status == 200 and [u["login"] for u in json.loads(body)["users"]] == ["release-bot"]


def test_faults_answer_in_the_registry_format(crate_registry: CrateRegistry) -> None:
    faults = crate_registry.faults
    rule = faults.fail("^/index/config.json$", status=500, nth=2, times=2)
    slow = faults.slow("^/index/config.json$", seconds=0.3, times=1)
    try:
        start = time.monotonic()
        codes = [http(crate_registry, "GET", "/index/config.json")[0] for _ in range(4)]
        assert time.monotonic() - start >= 0.3
        assert codes == [200, 500, 500, 200]
        status, _, body = http(crate_registry, "GET", "/index/config.json")
        assert status == 200 and rule.fired == 2 and slow.fired == 1
        limited = faults.rate_limit("^/index/config.json$", retry_after=7)
        status, headers, body = http(crate_registry, "GET", "/index/config.json")
        assert (status, headers["Retry-After"]) == (429, "7")
        assert "injected fault" in json.loads(body)["errors"][0]["detail"]
        faults.remove(limited)
        faults.drop("^/index/config.json$")
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(crate_registry.url + "/index/config.json", timeout=5)
    finally:
        faults.clear()


def test_concurrent_uploads_of_one_version_publish_it_exactly_once(
    crate_registry: CrateRegistry,
) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        meta = metadata("race", "1.0.0")
        answers = list(pool.map(lambda _: publish_raw(crate_registry, meta), range(8)))
    assert sorted(status for status, _ in answers) == [200] + [400] * 7
    assert crate_registry.log.count("race", "1.0.0") == 1
    assert [line["vers"] for line in crate_registry.index_lines("race")] == ["1.0.0"]


def test_cargo_config_keeps_other_settings(crate_registry: CrateRegistry, tmp_path: Path) -> None:
    config = tmp_path / ".cargo" / "config.toml"
    config.parent.mkdir()
    config.write_text('[net]\nretry = 5\n\n[source.crates-io]\nreplace-with = "old"\n')
    assert crate_registry.cargo_config(tmp_path) == config
    crate_registry.cargo_config(tmp_path)
    text = config.read_text()
    assert text.startswith("[net]\nretry = 5\n")
    assert text.count("[source.crates-io]") == 1 and 'replace-with = "local"' in text
    assert f'index = "{crate_registry.index_url}"' in text
    assert crate_registry.env["CARGO_REGISTRIES_LOCAL_TOKEN"] == crate_registry.token

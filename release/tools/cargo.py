"""cargo and rustc, run as binaries: metadata, the host triple, installed targets, builds."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from release.base.errors import BadInput
from release.tools.run import run, which


def available() -> bool:
    return which("cargo") is not None


def zigbuild_available() -> bool:
    return which("cargo-zigbuild") is not None


@functools.cache
def host_triple() -> str:
    for line in run(["rustc", "-vV"]).stdout.splitlines():
        if line.startswith("host:"):
            return line.split(":", 1)[1].strip()
    raise BadInput("rustc -vV did not name the host triple", hint="check the Rust installation")


def installed_targets() -> set[str]:
    """Targets with a standard library here (rustup's view; the host's without rustup)."""
    if which("rustup") is None:
        return {host_triple()}
    proc = run(["rustup", "target", "list", "--installed"], check=False)
    return set(proc.stdout.split()) | {host_triple()}


@functools.cache
def known_targets() -> frozenset[str] | None:
    """Every target triple this rustc can name (`rustc --print target-list`): the same list
    on any host. None when rustc cannot say."""
    if which("rustc") is None:
        return None
    proc = run(["rustc", "--print", "target-list"], check=False)
    return frozenset(proc.stdout.split()) if proc.returncode == 0 else None


def metadata(root: Path, *, no_deps: bool) -> dict[str, Any]:
    args = ["cargo", "metadata", "--format-version", "1", "--offline"]
    if no_deps:
        args.append("--no-deps")
    data: dict[str, Any] = json.loads(run(args, cwd=root, what="cargo metadata").stdout)
    return data


def binaries(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """(package, binary) for every [[bin]] of the workspace's members."""
    members = set(meta.get("workspace_members", []))
    found = []
    for package in meta["packages"]:
        if package["id"] not in members:
            continue
        for target in package["targets"]:
            if "bin" in target["kind"]:
                found.append((package["name"], target["name"]))
    return sorted(found)


def build(
    root: Path, *, package: str, binary: str, target: str, zigbuild: bool, target_dir: Path
) -> Path:
    command = "zigbuild" if zigbuild else "build"
    args = ["cargo", command, "--release", "--locked", "--target", target]
    args += ["-p", package, "--bin", binary, "--target-dir", str(target_dir)]
    run(args, cwd=root, what=f"cargo {command} --bin {binary} --target {target}")
    exe = binary + (".exe" if "windows" in target else "")
    return target_dir / target / "release" / exe


def publish(root: Path, *, package: str, registry: str | None, token_env: dict[str, str]) -> None:
    """`cargo publish -p NAME`; the token travels in the environment, never in argv."""
    args = ["cargo", "publish", "-p", package, "--locked"]
    if registry:
        args += ["--registry", registry]
    run(args, cwd=root, env=token_env, what=f"cargo publish -p {package}")


def package(
    root: Path, names: list[str], *, registry: str | None, index: str | None, target_dir: Path
) -> None:
    """`cargo package` of these crates against the registry they go to, without building
    them: since cargo 1.90 crates that depend on each other are packaged together, each
    resolving its siblings from the others, and every other dependency from the registry as
    `cargo publish` will. Nothing leaves the machine."""
    args = ["cargo", "package", "--no-verify", "--locked", "--allow-dirty"]
    args += [a for name in names for a in ("-p", name)]
    if registry:
        args += ["--registry", registry]
    elif index:
        args += ["--index", index]
    args += ["--target-dir", str(target_dir)]
    run(args, cwd=root, what="cargo package")


def _configs(root: Path) -> list[dict[str, Any]]:
    """cargo's configuration files that apply in `root`, nearest first."""
    import os

    from release.base._toml import tomllib

    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    folders = [root, *root.parents]
    found = []
    for config in [f / ".cargo" / "config.toml" for f in folders] + [home / "config.toml"]:
        if config.is_file():
            found.append(tomllib.loads(config.read_text(encoding="utf-8")))
    return found


def registry_index(root: Path, registry: str) -> str | None:
    """The index URL of a named registry, as cargo's own configuration gives it."""
    import os

    env = os.environ.get(f"CARGO_REGISTRIES_{registry.upper().replace('-', '_')}_INDEX")
    if env:
        return env
    for data in _configs(root):
        index = data.get("registries", {}).get(registry, {}).get("index")
        if isinstance(index, str):
            return index
    return None


def crates_io_replaced_by(root: Path) -> str | None:
    """`[source.crates-io] replace-with` in cargo's configuration: the source that stands in
    for crates.io (a registry that mirrors it, or takes its place)."""
    import os

    env = os.environ.get("CARGO_SOURCE_CRATES_IO_REPLACE_WITH")
    if env:
        return env
    for data in _configs(root):
        replaced = data.get("source", {}).get("crates-io", {}).get("replace-with")
        if isinstance(replaced, str):
            return replaced
    return None

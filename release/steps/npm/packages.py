"""The npm packages of a release, as folders ready for `npm pack`: generated from the built
binaries (one per target, then the main package that depends on them all), or the project's
own package.json files in dependency order."""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import zipfile
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from release.base.errors import ReleaseError
from release.core.engine.context import ReleaseContext
from release.core.project import npm
from release.core.project.manifests import manifests_for
from release.steps.npm.platform import Platform, platform

_ORDER_TABLES = ("dependencies", "optionalDependencies", "peerDependencies")


@dataclass(frozen=True)
class NpmPackage:
    name: str
    folder: Path  # what `npm pack` packs
    generated: bool  # made by us (no lifecycle scripts to run), or the project's own


def version_of(ctx: ReleaseContext) -> str:
    assert ctx.version is not None
    return str(ctx.version.replace(build=None))


# --- the project's own package.json files -------------------------------------------------


def own_packages(ctx: ReleaseContext) -> list[NpmPackage]:
    """The project's publishable package.json files (not `private`), each after those it
    depends on."""
    if ctx.package is not None:  # independent versions: this package's own, alone
        found = npm.packages([ctx.root / ctx.package.manifest])
    else:
        every = manifests_for(ctx.root, ctx.config, ctx.layout)
        found = [m for m in every if isinstance(m, npm.PackageJson)]
    packages = {p.name: p for p in found if p.name and not p.data.get("private")}
    graph: TopologicalSorter[str] = TopologicalSorter()
    for name, package in packages.items():
        needs = set()
        for table in _ORDER_TABLES:
            deps = package.data.get(table)
            needs |= set(deps) & set(packages) if isinstance(deps, dict) else set()
        graph.add(name, *sorted(needs - {name}))
    try:
        order = list(graph.static_order())
    except CycleError as exc:
        raise ReleaseError(
            f"the npm packages depend on each other in a circle: {' → '.join(exc.args[1])}",
            hint="break the circle (a devDependency does not count)",
        ) from None
    return [NpmPackage(name, packages[name].path.parent, False) for name in order]


# --- packages generated from the binaries ---------------------------------------------------


def binary_name(ctx: ReleaseContext) -> str:
    archives = ctx.manifest().of_kind("binary-archive")
    names = sorted({a.name for a in archives if a.name})
    wanted = ctx.config.npm.binary
    if wanted is not None:
        if wanted not in names:
            raise ReleaseError(
                f"[npm] binary = {wanted!r}, but the build made no archive of it "
                f"({', '.join(names) or 'no binary at all'})",
                hint="name one of the binaries [build] makes",
            )
        return wanted
    if len(names) != 1:
        raise ReleaseError(
            f"npm ships one binary, and the build made {len(names) or 'no'} ({', '.join(names)})"
            if names
            else "npm ships the built binary, and the build made none",
            hint="set [npm] binary to the one to ship" if names else "configure [build] binaries",
        )
    return names[0]


def main_name(ctx: ReleaseContext, binary: str) -> str:
    return ctx.config.npm.name or binary


def platform_name(main: str, target: Platform) -> str:
    return f"{main}-{target.suffix}"


def generated_packages(ctx: ReleaseContext, staging: Path) -> list[NpmPackage]:
    """One folder per target under `staging`, then the main package's; the same bytes on
    every run (a resume packs what the first run packed)."""
    binary = binary_name(ctx)
    main = main_name(ctx, binary)
    version = version_of(ctx)
    manifest = ctx.manifest()
    archives = sorted(
        (a for a in manifest.of_kind("binary-archive") if a.name == binary and a.target),
        key=lambda a: a.target or "",
    )
    made: list[NpmPackage] = []
    table: list[dict[str, Any]] = []
    for archive in archives:
        assert archive.target is not None
        target = platform(archive.target)
        name = platform_name(main, target)
        folder = staging / name.replace("/", "__")
        exe = f"bin/{binary}{target.exe}"
        _extract(manifest.file(archive), f"{binary}{target.exe}", folder / exe, ctx.root, folder)
        meta: dict[str, Any] = {
            "name": name,
            "version": version,
            "description": f"The {binary} binary for {target.suffix} ({target.triple})",
            "os": [target.os],
            "cpu": [target.cpu],
            **({"libc": [target.libc]} if target.libc else {}),
            **_common(ctx),
            "preferUnplugged": True,
        }
        _write_json(folder / "package.json", meta)
        made.append(NpmPackage(name, folder, True))
        entry = {"package": name, "os": target.os, "cpu": target.cpu, "libc": target.libc}
        table.append({**entry, "binary": exe})
    folder = staging / main.replace("/", "__")
    launcher = folder / "bin" / f"{binary}.js"
    launcher.parent.mkdir(parents=True, exist_ok=True)
    launcher.write_text(_launcher(ctx, binary, table), encoding="utf-8")
    launcher.chmod(0o755)
    _docs(ctx.root, folder, archive=None)
    meta = {
        "name": main,
        "version": version,
        "description": f"The {binary} command-line tool, prebuilt for each platform",
        "bin": {binary: f"bin/{binary}.js"},
        "optionalDependencies": {p.name: version for p in made},
        **_common(ctx),
    }
    _write_json(folder / "package.json", meta)
    return [*made, NpmPackage(main, folder, True)]


def _common(ctx: ReleaseContext) -> dict[str, Any]:
    """What every generated package.json states: the repository (npm's provenance checks it
    against the workflow's) and the license, when the project says them."""
    from release.steps.github.step import repository

    found: dict[str, Any] = {}
    license_ = _root_license(ctx.root)
    if license_:
        found["license"] = license_
    repo = repository(ctx)
    if repo:
        web = ctx.config.github.web_url.rstrip("/")
        found["repository"] = {"type": "git", "url": f"git+{web}/{repo}.git"}
    return found


def _root_license(root: Path) -> str | None:
    """The SPDX expression the project states in its own manifests, if any."""
    from release.base._toml import tomllib

    for path, keys in (
        (root / "Cargo.toml", ("workspace", "package")),
        (root / "Cargo.toml", ("package",)),
    ):
        if path.is_file():
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
            for key in keys:
                data = data.get(key, {}) if isinstance(data, dict) else {}
            if isinstance(data, dict) and isinstance(data.get("license"), str):
                return str(data["license"])
    return None


def _launcher(ctx: ReleaseContext, binary: str, table: list[dict[str, Any]]) -> str:
    own = ctx.config.npm.launcher
    if own is not None:
        path = ctx.root / own
        if not path.is_file():
            raise ReleaseError(
                f"[npm] launcher = {own!r} does not exist",
                hint="name the project's launcher script, relative to the project's root",
            )
        return path.read_text(encoding="utf-8")
    template = (resources.files("release") / "data" / "npm-launcher.js").read_text(encoding="utf-8")
    return template.replace("__BIN__", binary).replace("__PLATFORMS__", json.dumps(table, indent=2))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _docs(root: Path, folder: Path, archive: dict[str, bytes] | None) -> None:
    """README and LICENSE: the archive's copies, else the project's."""
    folder.mkdir(parents=True, exist_ok=True)
    for wanted in ("README.md", "LICENSE"):
        if archive and wanted in archive:
            (folder / wanted).write_bytes(archive[wanted])
            continue
        candidates = sorted(root.glob(f"{wanted.split('.')[0]}*"))
        source = next((c for c in candidates if c.is_file()), None)
        if source is not None:
            shutil.copyfile(source, folder / source.name)


def _extract(archive: Path, exe: str, dest: Path, root: Path, folder: Path) -> None:
    """The binary out of a release archive, with its mode; README and LICENSE beside it."""
    files: dict[str, tuple[bytes, int]] = {}
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                if not info.is_dir():
                    mode = (info.external_attr >> 16) & 0o777 or 0o644
                    files[PurePosixPath(info.filename).name] = (zipped.read(info), mode)
    else:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is not None:
                    files[PurePosixPath(member.name).name] = (handle.read(), member.mode & 0o777)
    if exe not in files:
        raise ReleaseError(
            f"{archive.name} holds no {exe}",
            hint="rebuild the archives with `release build`",
        )
    data, mode = files[exe]
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    os.chmod(dest, mode)  # as the archive has it (0o755 for a binary the build made)
    _docs(root, folder, {name: content for name, (content, _) in files.items()})

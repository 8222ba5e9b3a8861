"""CycloneDX SBOMs (JSON, spec 1.6) of the Python packages and of the Rust workspace.

Deterministic: components sorted, the timestamp is the release commit's, the serial number is
derived from the content. Each is validated against the CycloneDX schema before it is kept.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from release.base._toml import tomllib
from release.base.errors import ReleaseError
from release.base.fsutil import atomic_write
from release.core.engine.artifacts import Artifact, sha256_file
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.core.project import pyproject_meta
from release.core.project.pep440 import canonical_name
from release.steps import package_scope
from release.steps.artifacts import sbom_cargo, sbom_python
from release.tools import cargo


def _bom(root: Any, components: list[Any], edges: dict[str, list[str]], when: int) -> str:
    from cyclonedx.model.bom import Bom
    from cyclonedx.output.json import JsonV1Dot6
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    bom = Bom()
    bom.metadata.component = root
    bom.metadata.timestamp = datetime.fromtimestamp(when, tz=timezone.utc)
    by_ref = {str(c.bom_ref): c for c in components}
    for component in sorted(components, key=lambda c: str(c.bom_ref)):
        bom.components.add(component)
    for ref, deps in sorted(edges.items()):
        owner = root if ref == str(root.bom_ref) else by_ref[ref]
        bom.register_dependency(owner, [by_ref[d] for d in sorted(deps) if d in by_ref])
    # The serial number names this content: the same release gives the same document.
    bom.serial_number = uuid.UUID(int=0)
    draft = JsonV1Dot6(bom).output_as_string(indent=2)
    bom.serial_number = uuid.uuid5(uuid.NAMESPACE_URL, hashlib.sha256(draft.encode()).hexdigest())
    text = JsonV1Dot6(bom).output_as_string(indent=2) + "\n"
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        raise ReleaseError(f"the SBOM does not validate against CycloneDX 1.6: {error}")
    return text


def python_bom(pyproject: Path, when: int) -> tuple[str, str]:
    from cyclonedx.model import Property
    from cyclonedx.model.component import Component, ComponentType
    from packageurl import PackageURL
    from packaging.requirements import Requirement

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    name = pyproject_meta.name_of(data) or pyproject.parent.name
    version = pyproject_meta.version_of(data) or "0"
    root = Component(
        name=name,
        version=version,
        type=ComponentType.LIBRARY,
        purl=PackageURL("pypi", None, name, version),
        bom_ref=f"pkg:pypi/{name}@{version}",
    )
    declared = {
        canonical_name(Requirement(line).name): line
        for line in pyproject_meta.dependency_lines(data)
    }
    resolved = sbom_python.resolve(pyproject, name, list(declared.values()))
    components = {}
    for dep in resolved.values():
        purl = PackageURL("pypi", None, dep.name, dep.version)
        properties = [Property(name="release-toolkit:resolved-from", value=dep.source)]
        if dep.name in declared:
            properties.append(Property(name="cdx:python:requirement", value=declared[dep.name]))
        components[dep.name] = Component(
            name=dep.name,
            version=dep.version,
            type=ComponentType.LIBRARY,
            purl=purl,
            bom_ref=str(purl),
            properties=properties,
        )
    edges = {str(root.bom_ref): [str(components[n].bom_ref) for n in declared if n in components]}
    for dep in resolved.values():
        refs = [str(components[d].bom_ref) for d in dep.depends_on if d in components]
        edges[str(components[dep.name].bom_ref)] = refs
    return name, _bom(root, list(components.values()), edges, when)


def cargo_bom(workspace: Path, name: str, version: str, when: int, crate: str | None = None) -> str:
    """The workspace's SBOM; with `crate`, that crate's alone: it and what it depends on,
    dev-dependencies left out (they are not part of what is published)."""
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.license import LicenseExpression
    from packageurl import PackageURL

    meta = cargo.metadata(workspace, no_deps=False)
    root = Component(
        name=name,
        version=version,
        type=ComponentType.APPLICATION,
        bom_ref=f"workspace:{name}@{version}" if crate is None else f"crate:{name}@{version}",
    )
    nodes = {n["id"]: n for n in (meta.get("resolve") or {}).get("nodes", [])}
    members = list(meta["workspace_members"])
    if crate is not None:
        members = [m for m in members if sbom_cargo.name_of(meta, m) == crate]
        nodes = sbom_cargo.reached(nodes, members)
    components = {}
    for package in meta["packages"]:
        if crate is not None and package["id"] not in nodes:
            continue
        purl = PackageURL("cargo", None, package["name"], package["version"])
        licenses = [LicenseExpression(package["license"])] if package.get("license") else []
        components[package["id"]] = Component(
            name=package["name"],
            version=package["version"],
            type=ComponentType.LIBRARY,
            purl=purl,
            bom_ref=str(purl),
            licenses=licenses,
            description=package.get("description") or None,
        )
    edges: dict[str, list[str]] = {str(root.bom_ref): [str(components[m].bom_ref) for m in members]}
    for node in nodes.values():
        deps = [str(components[d["pkg"]].bom_ref) for d in node.get("deps", [])]
        edges[str(components[node["id"]].bom_ref)] = deps
    return _bom(root, list(components.values()), edges, when)


def python_projects(ctx: ReleaseContext) -> list[Path]:
    """The Python packages this build makes (none on a runner built with --no-python)."""
    return package_scope.python_projects(ctx) if ctx.config.build.python else []


def rust(ctx: ReleaseContext) -> bool:
    """A Rust SBOM: of the workspace in lockstep, of a crate package's crate alone."""
    return ctx.layout.cargo is not None and (ctx.package is None or ctx.package.kind == "crate")


def outputs(ctx: ReleaseContext) -> list[str]:
    tag = package_scope.file_tag(ctx)
    names = [f"{_project(p)}-{tag}.cdx.json" for p in python_projects(ctx)]
    if rust(ctx):
        names.append(f"{_workspace_name(ctx)}-{tag}.cargo.cdx.json")
    return names


def _project(pyproject: Path) -> str:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return pyproject_meta.name_of(data) or pyproject.parent.name


def _workspace_name(ctx: ReleaseContext) -> str:
    assert ctx.layout.cargo is not None
    if ctx.package is not None:
        return ctx.package.name
    return ctx.config.project.name or ctx.layout.cargo.parent.name


class SbomStep(Step):
    name = "sbom"
    public = False

    def reads_sources(self, ctx: ReleaseContext) -> bool:
        return True

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.build.sbom:
            return Skip("[build] sbom = false")
        if ctx.package is not None:
            return skip_unless(
                python_projects(ctx) or rust(ctx),
                f"{package_scope.is_kind(ctx.package)}: no SBOM",
            )
        return skip_unless(
            python_projects(ctx) or ctx.layout.cargo,
            "no Python package built and no Cargo workspace",
        )

    def describe(self, ctx: ReleaseContext) -> str:
        return "write the CycloneDX SBOMs " + ", ".join(outputs(ctx))

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        try:
            import cyclonedx  # noqa: F401
        except ImportError:
            return [
                Problem(
                    self.name,
                    "cyclonedx-python-lib is not installed",
                    hint="reinstall release-toolkit (it depends on it)",
                )
            ]
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        recorded = {a.path: a for a in ctx.manifest().of_kind("sbom")}
        return all(
            name in recorded
            and (ctx.dist / name).is_file()
            and sha256_file(ctx.dist / name) == recorded[name].sha256
            for name in outputs(ctx)
        )

    def run(self, ctx: ReleaseContext) -> None:
        assert ctx.version is not None
        when = ctx.git.commit_time()
        tag = package_scope.file_tag(ctx)
        ctx.dist.mkdir(parents=True, exist_ok=True)
        documents = []
        for pyproject in python_projects(ctx):
            name, text = python_bom(pyproject, when)
            documents.append((f"{name}-{tag}.cdx.json", text, name))
        if rust(ctx):
            assert ctx.layout.cargo is not None
            name = _workspace_name(ctx)
            crate = ctx.package.manifest_name if ctx.package is not None else None
            text = cargo_bom(ctx.layout.cargo.parent, name, str(ctx.version), when, crate)
            documents.append((f"{name}-{tag}.cargo.cdx.json", text, name))
        manifest = ctx.manifest()
        for filename, text, name in documents:
            atomic_write(ctx.dist / filename, text)
            manifest.add(Artifact.of(ctx.dist, ctx.dist / filename, "sbom", name=name))

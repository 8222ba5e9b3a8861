"""The crates of a workspace that are never published (`publish = false`, `publish = []`, or
inherited from `[workspace.package]`): an xtask, a test helper at 0.0.0. They are no version
of the project, and name nothing; their requirements on released crates are kept valid."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from release.core.project.examples import in_examples, untagged


class CargoWorkspace(Protocol):
    """What this module reads of `core.manifests.CargoWorkspace` (a protocol, so that the
    manifests can import this module without a circle)."""

    @property
    def root(self) -> Path: ...
    @property
    def doc(self) -> Any: ...
    @property
    def docs(self) -> Mapping[Path, Any]: ...
    @property
    def members(self) -> Mapping[str, Path]: ...


def _package(workspace: CargoWorkspace, name: str) -> Any:
    return workspace.docs[workspace.members[name]].get("package", {})


def unpublished(workspace: CargoWorkspace) -> set[str]:
    """The members that are never published: those that say so, and the example crates no
    tag names that do not say they are (release.core.project.examples)."""
    inherited = workspace.doc.get("workspace", {}).get("package", {}).get("publish")
    names: set[str] = set()
    examples: dict[str, str | None] = {}  # name -> its version
    for name, manifest in workspace.members.items():
        publish = _package(workspace, name).get("publish")
        if isinstance(publish, dict) and publish.get("workspace"):
            publish = inherited
        if publish is False or publish == []:
            names.add(name)
        elif publish is None and in_examples(_folder(workspace.root, manifest)):
            version = _package(workspace, name).get("version")
            examples[name] = version if isinstance(version, str) else None
    return names | untagged(workspace.root, examples)


def _folder(root: Path, manifest: Path) -> str:
    try:
        return manifest.parent.relative_to(root).as_posix()
    except ValueError:
        return manifest.parent.as_posix()


def versioned(workspace: CargoWorkspace) -> set[str]:
    """The members the release versions: an unpublished crate is left as it is unless it
    states the released crates' version; when no crate is published, all are (a binary
    released on its own, not on crates.io)."""
    hidden = unpublished(workspace)
    if len(hidden) == len(workspace.members):
        return set(workspace.members)
    versions = {name: _package(workspace, name).get("version") for name in workspace.members}
    released = {v for n, v in versions.items() if n not in hidden and isinstance(v, str)}
    inherited = workspace.doc.get("workspace", {}).get("package", {}).get("version")
    released |= {inherited} if isinstance(inherited, str) else set()
    return {n for n in workspace.members if n not in hidden or versions[n] in released}

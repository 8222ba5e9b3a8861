"""The artifact manifest, dist/artifacts.json: the contract between build and publish.

Build steps add artifacts; publish steps read them and never rebuild. Manifests written on
several machines (one per CI runner) merge into one, refusing conflicts.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from release.base.errors import BadInput
from release.base.fsutil import atomic_write
from release.core.engine import archive_check

Kind = Literal["binary-archive", "wheel", "sdist", "checksums", "signature", "sbom"]
KINDS: tuple[str, ...] = ("binary-archive", "wheel", "sdist", "checksums", "signature", "sbom")
MANIFEST = "artifacts.json"
_CHUNK = 1 << 20  # 1 MiB reads: flat memory for multi-GB files


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Artifact:
    path: str  # relative to the dist folder that holds the manifest
    kind: str
    sha256: str
    size: int
    target: str | None = None  # a target triple for binaries; None when it runs anywhere
    signature: str | None = None  # the path of its detached .asc, once signed
    name: str | None = None  # the package, crate or binary it belongs to

    @classmethod
    def of(cls, dist: Path, path: Path, kind: str, **extra: Any) -> Artifact:
        return cls(
            path=str(path.relative_to(dist)),
            kind=kind,
            sha256=sha256_file(path),
            size=path.stat().st_size,
            **extra,
        )


@dataclass
class ArtifactManifest:
    version: str
    tag: str
    commit: str
    artifacts: list[Artifact] = field(default_factory=list)
    root: Path | None = field(default=None, compare=False)  # the dist folder it lives in

    def add(self, artifact: Artifact) -> None:
        self.artifacts = [a for a in self.artifacts if a.path != artifact.path] + [artifact]

    def with_signature(self, path: str, signature: str) -> None:
        self.artifacts = [
            replace(a, signature=signature) if a.path == path else a for a in self.artifacts
        ]

    def of_kind(self, *kinds: str) -> list[Artifact]:
        return [a for a in self.artifacts if a.kind in kinds]

    def file(self, artifact: Artifact) -> Path:
        assert self.root is not None
        return self.root / artifact.path

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "tag": self.tag,
            "commit": self.commit,
            "artifacts": [asdict(a) for a in sorted(self.artifacts, key=lambda a: a.path)],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    def save(self, dist: Path) -> Path:
        dist.mkdir(parents=True, exist_ok=True)
        target = dist / MANIFEST
        atomic_write(target, self.to_json())
        self.root = dist
        return target

    @classmethod
    def load(cls, dist: Path) -> ArtifactManifest:
        path = dist / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            artifacts = [Artifact(**a) for a in data["artifacts"]]
            manifest = cls(data["version"], data["tag"], data["commit"], artifacts, root=dist)
            for artifact in artifacts:
                _refuse_leaving(dist, path, artifact.path)
                if artifact.signature:
                    _refuse_leaving(dist, path, artifact.signature)
        except FileNotFoundError:
            raise BadInput(
                f"no artifact manifest in {dist}",
                hint="run `release build` first (it writes dist/artifacts.json)",
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise BadInput(
                f"{path} is not a valid artifact manifest: {exc}",
                hint="rebuild it with `release build`",
                where=str(path),
            ) from None
        return manifest


def _refuse_leaving(dist: Path, manifest: Path, name: str) -> None:
    """A listed file is a plain name inside the folder: never absolute, never `..`, never a
    symlink out of it (what a tampered manifest could point publishing at)."""
    from release.base import containment

    reason = containment.named_escape(name) if isinstance(name, str) else "is not a file name"
    if reason is None:
        reason = containment.escape(dist, dist / name)
    if reason is not None:
        raise BadInput(
            f"{manifest} lists {name!r}, which {reason}: nothing was published",
            hint="publish only the artifacts folders `release build` wrote, as they were",
            where=str(manifest),
        )


def merge(manifests: list[ArtifactManifest]) -> ArtifactManifest:
    """The union of manifests built for the same release on different machines.

    Each artifact keeps the folder it came from (paths become absolute). The same file name
    with two different contents is an error, never a silent choice.
    """
    if not manifests:
        raise BadInput("no artifact folders given", hint="pass --artifacts DIR at least once")
    first = manifests[0]
    merged = ArtifactManifest(first.version, first.tag, first.commit)
    by_name: dict[str, tuple[Artifact, Path]] = {}
    for manifest in manifests:
        assert manifest.root is not None
        if (manifest.version, manifest.commit) != (first.version, first.commit):
            raise BadInput(
                f"{manifest.root} holds {manifest.version} built from {manifest.commit[:12]}, "
                f"but {first.root} holds {first.version} built from {first.commit[:12]}",
                hint="publish artifacts of one release, built from one commit",
            )
        for artifact in manifest.artifacts:
            seen = by_name.get(artifact.path)
            if seen and seen[0].sha256 != artifact.sha256:
                raise BadInput(
                    f"{artifact.path} differs between {seen[1]} and {manifest.root}",
                    hint="two runners built the same artifact differently; rebuild one of them",
                )
            if not seen:
                by_name[artifact.path] = (artifact, manifest.root)
                absolute = str((manifest.root / artifact.path).resolve())
                signature = artifact.signature
                if signature:
                    signature = str((manifest.root / signature).resolve())
                merged.artifacts.append(replace(artifact, path=absolute, signature=signature))
    merged.root = Path("/")
    return merged


def gather(manifests: list[ArtifactManifest], dist: Path) -> ArtifactManifest:
    """Copy the artifacts of several runners' dist folders into one `dist`, as one manifest.

    Conflicts are refused as in `merge`. Each runner's SHA256SUMS (and its signature) is
    left behind: the publisher writes one over the union.
    """
    kept = [_without_checksums(m) for m in manifests]
    merge(kept)  # validates: one release, one commit, no file with two contents
    first = kept[0]
    gathered = ArtifactManifest(first.version, first.tag, first.commit)
    dist.mkdir(parents=True, exist_ok=True)
    for manifest in kept:
        assert manifest.root is not None
        for artifact in manifest.artifacts:
            source = manifest.root / artifact.path
            target = dist / artifact.path
            if not source.is_file():
                raise BadInput(
                    f"{source} is listed in {manifest.root / MANIFEST} but missing",
                    hint="download that runner's artifacts again, or rebuild them",
                )
            if sha256_file(source) != artifact.sha256:
                raise BadInput(
                    f"{source} does not match the sha256 its manifest records",
                    hint="the artifact changed after it was built: rebuild it",
                )
            if archive_check.is_archive(source):
                archive_check.refuse_unsafe(source, shown=str(source))
            if source.resolve() != target.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
            gathered.add(artifact)
    gathered.save(dist)
    return gathered


def _without_checksums(manifest: ArtifactManifest) -> ArtifactManifest:
    sums = {a.path for a in manifest.of_kind("checksums")}
    kept = [
        a
        for a in manifest.artifacts
        if a.kind != "checksums" and not (a.kind == "signature" and a.name in sums)
    ]
    return ArtifactManifest(manifest.version, manifest.tag, manifest.commit, kept, manifest.root)


def artifact_folders(given: list[Path]) -> list[Path]:
    """The folders `release build` filled: each given folder that holds a manifest, or else
    each of its subfolders that does (actions/download-artifact puts every runner's upload
    in a folder of its own under the one it is given)."""
    found: list[Path] = []
    for folder in given:
        if (folder / MANIFEST).is_file():
            found.append(folder)
            continue
        inner = sorted(p.parent for p in folder.glob(f"*/{MANIFEST}"))
        if not inner:
            raise BadInput(
                f"no artifact manifest in {folder} nor in any folder of it",
                hint="pass the folders `release build` filled (each has an artifacts.json)",
            )
        found += inner
    return found

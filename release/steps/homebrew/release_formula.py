"""The project's Homebrew formula made for one release: each download matched to its
artifact (by target triple, or the sdist), its URL and sha256 written in, the version set.
The line edits themselves are release.steps.homebrew.formula's."""

from __future__ import annotations

from pathlib import Path

from release.base.errors import BadInput, ReleaseError
from release.base.fsutil import read_text
from release.core.engine.artifacts import Artifact
from release.core.engine.context import ReleaseContext
from release.steps.github.step import download_url
from release.steps.homebrew import formula


def formula_path(ctx: ReleaseContext) -> Path | None:
    configured = ctx.config.homebrew.formula
    if configured:
        return ctx.root / configured
    found = sorted((ctx.root / "formulas").glob("*.rb"))
    return found[0] if len(found) == 1 else None


def source(ctx: ReleaseContext) -> tuple[Path, str, list[formula.Download]]:
    path = formula_path(ctx)
    if path is None or not path.is_file():
        raise BadInput(
            f"the formula {ctx.config.homebrew.formula} does not exist",
            hint="set [homebrew] formula to a file in the project, e.g. formulas/tool.rb",
        )
    text = read_text(path)
    return path, text, formula.downloads(text, ctx.relpath(path))


def render(ctx: ReleaseContext) -> str:
    """The formula for this release, from the project's formula and the artifacts."""
    assert ctx.version is not None
    path, text, found = source(ctx)
    files: dict[formula.Download, tuple[str, str]] = {}
    for download in found:
        artifact = _artifact(ctx, download, path)
        name = Path(artifact.path).name
        files[download] = (_url(ctx, artifact, name), artifact.sha256)
    return formula.update(text, str(ctx.version), files, ctx.relpath(path))


def _artifact(ctx: ReleaseContext, download: formula.Download, path: Path) -> Artifact:
    manifest = ctx.manifest()
    where = f"{ctx.relpath(path)}:{download.url_line + 1}"
    if download.platform.os is None and download.platform.arch is None:
        candidates = manifest.of_kind("sdist")
    else:
        candidates = [
            a for a in manifest.of_kind("binary-archive") if download.platform.matches(a.target)
        ]
        named = [a for a in candidates if a.name == path.stem]
        candidates = named or candidates
    if len(candidates) != 1:
        what = "no" if not candidates else f"{len(candidates)}"
        raise ReleaseError(
            f"the formula's {download.platform} url matches {what} artifacts"
            + (f": {', '.join(Path(a.path).name for a in candidates)}" if candidates else ""),
            hint="build exactly one archive per platform block (name it after the "
            "formula when there are several binaries)",
            where=where,
        )
    return candidates[0]


def _url(ctx: ReleaseContext, artifact: Artifact, filename: str) -> str:
    template = ctx.config.homebrew.url
    if template:
        return template.format(
            version=ctx.version, tag=ctx.tag, file=filename, name=artifact.name or ""
        )
    if artifact.kind == "sdist":
        project = artifact.name or filename.split("-")[0]
        return f"https://files.pythonhosted.org/packages/source/{project[0]}/{project}/{filename}"
    return download_url(ctx, filename)


def refuse_other_content(current: str, wanted: str, in_tap: str) -> None:
    """The tap's formula names our urls with other sha256 values: never overwritten."""
    ours = {d.url: d for d in formula.downloads(wanted, "ours")}
    theirs = current.splitlines()
    for download in formula.downloads(current, in_tap):
        if download.url in ours and download.sha_line is not None:
            mine = wanted.splitlines()[ours[download.url].sha_line or 0]
            if theirs[download.sha_line].strip() != mine.strip():
                raise ReleaseError(
                    f"the tap already has {download.url.rsplit('/', 1)[-1]} with another sha256",
                    hint="the tap's formula for this version differs from the artifacts; "
                    "fix the tap by hand or release a new version",
                )

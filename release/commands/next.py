"""`release next`: the next version, from the conventional commits since the last release."""

from __future__ import annotations

from pathlib import Path

from release.commands.result import NextResult, PackageInfo, VersionInfo


def next_version(start: Path, pre: str | None) -> NextResult:
    from release.core.plan.lookups import Looked
    from release.core.plan.planning import plan
    from release.core.plan.release_mode import independent_plan
    from release.core.settings.config_files import notes as config_notes

    git, cfg, lookups = Looked.open(start)  # once for both modes
    packages = independent_plan(git, cfg, pre, lookups=lookups)
    if packages is not None:
        infos = [PackageInfo.of(p) for p in packages]
        if not any(p.version for p in infos):
            return NextResult(
                None,
                infos,
                notes=[
                    *config_notes(git.root),
                    "no release: no package has a change that calls for one",
                ],
            )
        return NextResult(None, infos, notes=config_notes(git.root))
    ctx = plan(git.root, None, pre, cfg=cfg, git=git, lookups=lookups)
    notes = [] if ctx.version else [f"no release: {ctx.reason}"]  # stdout stays empty
    return NextResult(VersionInfo.of(ctx), notes=[*config_notes(git.root), *notes])

"""`release next`: the next version, from the conventional commits since the last release."""

from __future__ import annotations

from pathlib import Path

from release.commands.result import NextResult, PackageInfo, VersionInfo


def next_version(start: Path, pre: str | None) -> NextResult:
    from release.core import config
    from release.core.config_files import notes as config_notes
    from release.core.planning import plan
    from release.core.release_mode import independent_plan
    from release.tools.git import Git

    git = Git.discover(start)
    cfg = config.load(git.root)  # read once for both modes
    packages = independent_plan(git, cfg, pre)
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
    ctx = plan(git.root, None, pre, cfg=cfg)
    notes = [] if ctx.version else [f"no release: {ctx.reason}"]  # stdout stays empty
    return NextResult(VersionInfo.of(ctx), notes=[*config_notes(git.root), *notes])

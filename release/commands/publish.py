"""`release publish`: on the tagged commit, publish what is already built (several runners'
dist/ folders merged): crates, PyPI, Docker, the GitHub release, Homebrew and Slack."""

from __future__ import annotations

from pathlib import Path

from release.commands.results import PublishResult, ReleasedResult, Stopped
from release.commands.running import preflight, released, run_steps
from release.commands.status import no_cut_running
from release.commands.ui import Ui
from release.core.engine import pipeline
from release.core.engine.artifacts import ArtifactManifest, artifact_folders, gather
from release.core.plan.planning import plan_tagged
from release.steps import catalog


def publish(
    start: Path, ui: Ui, *, artifacts: list[Path], skip: list[str], only: list[str]
) -> ReleasedResult | Stopped:
    no_cut_running(start)
    ctx = plan_tagged(start)
    if artifacts:
        folders = artifact_folders(artifacts)
        manifests = [ArtifactManifest.load(folder.resolve()) for folder in folders]
        gather(manifests, ctx.dist)
    pipeline.check_manifest(ctx)
    steps = pipeline.select(catalog.publish_run_steps(), skip, only)
    stopped = preflight(ctx, steps, ui, nothing="Nothing was published.")
    if stopped is not None:
        return stopped
    return released(ctx, run_steps(ctx, steps, ui, label="publish"), PublishResult)

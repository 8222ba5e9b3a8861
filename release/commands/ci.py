"""What a command leaves for GitHub Actions: step outputs and the run's summary page. All
no-ops outside Actions (release.base.actions)."""

from __future__ import annotations

import json
from typing import Any

from release.base import actions
from release.base.secrets import redact
from release.core.engine.context import ReleaseContext
from release.core.engine.pipeline import StepResult


def outputs(ctx: ReleaseContext, *, released: bool) -> None:
    """`version`, `tag`, `released` and `dist` (the artifacts' folder, `[build] dist`,
    relative to the repository) as step outputs."""
    actions.set_output("version", str(ctx.version) if ctx.version else "")
    actions.set_output("tag", ctx.tag if ctx.version else "")
    actions.set_output("released", "true" if released else "false")
    actions.set_output("dist", ctx.relpath(ctx.dist))


def matrix_output(ctx: ReleaseContext) -> None:
    """The build matrix as a step output, for release.yml's build job."""
    from release.core.engine.matrix import build_matrix

    set_matrix(build_matrix(ctx))


def set_matrix(matrix: dict[str, Any]) -> None:
    """A build matrix (`{"include": [...]}`) as the step output `matrix`."""
    actions.set_output("matrix", json.dumps(matrix, separators=(",", ":")))


def summary(ctx: ReleaseContext, results: list[StepResult]) -> None:
    """A markdown summary of the cut on the workflow run's page, with where it landed."""
    previous = ctx.previous.tag if ctx.previous else "none"
    lines = [
        f"## Release {ctx.tag}",
        "",
        f"{previous} → **{ctx.tag}** ({ctx.reason}), {len(ctx.commits)} commits.",
        "",
        "| step | result | seconds |",
        "| --- | --- | --- |",
        *(f"| {r.name} | {r.status} | {r.seconds:.2f} |" for r in results),
    ]
    places = ctx.landed.places(str(ctx.version))
    if places:
        lines += ["", "### Published", ""]
        lines += [f"- [{p.label}]({p.url})" if p.url else f"- {p.label}" for p in places]
    actions.summary(redact("\n".join(lines)))


def packages_outputs(released: dict[str, tuple[str, str]], *, done: bool) -> None:
    """Independent mode: `packages` (name -> {version, tag}, JSON), `tags` (space-separated)
    and `released`, for the jobs that follow one package's release."""
    table = {name: {"version": version, "tag": tag} for name, (version, tag) in released.items()}
    actions.set_output("packages", json.dumps(table, separators=(",", ":")))
    actions.set_output("tags", " ".join(tag for _, tag in released.values()))
    actions.set_output("released", "true" if done and released else "false")

"""Where a release landed: (label, link) for each destination, asked of the context and the
config rather than of what ran, so a resumed release whose publishers were already done
still names them. Slack's message and the Actions summary both show this list."""

from __future__ import annotations

from release.core.context import ReleaseContext


def destinations(ctx: ReleaseContext) -> list[tuple[str, str]]:
    """(label, url) of every place this release landed, asked of the context, so that a
    resumed release whose publishers were already done still names them."""
    from release.steps.crates import CratesStep
    from release.steps.github import GithubReleaseStep, release_url

    found: list[tuple[str, str]] = []
    if GithubReleaseStep().applies(ctx):
        found.append(("GitHub release", release_url(ctx)))
    if "pypi.org" in ctx.config.pypi.index_url:
        projects = {a.name for a in ctx.manifest().of_kind("wheel", "sdist") if a.name}
        for project in sorted(projects):
            found.append((f"PyPI: {project}", f"https://pypi.org/project/{project}/{ctx.version}/"))
    crates = CratesStep()
    if crates.applies(ctx) and not (ctx.config.crates.registry or ctx.config.crates.index):
        for crate in sorted(crates.crate_names(ctx)):
            found.append((f"crates.io: {crate}", f"https://crates.io/crates/{crate}/{ctx.version}"))
    docker = ctx.state.get("docker")
    if isinstance(docker, dict):
        found.append((f"Docker: {docker['image']}:{', '.join(docker['tags'])}", ""))
    elif ctx.config.docker.image:
        found.append((f"Docker: {ctx.config.docker.image}:{ctx.version}", ""))
    if ctx.state.get("homebrew_pull_request"):
        found.append(("Homebrew pull request", str(ctx.state["homebrew_pull_request"])))
    return found

"""The `release` command: parses arguments and runs the pipeline; release.cli.entry maps errors
to exit codes. No release logic lives here; heavy modules are imported inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from release.core.errors import ExitCode

app = typer.Typer(
    help="Cut correct, resumable releases: changelog, versions, tags, builds and publishing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PreOption = Annotated[
    str | None, typer.Option("--pre", help="Make a prerelease with this label, e.g. rc.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
SkipOption = Annotated[list[str], typer.Option("--skip", help="Leave out this step.")]
OnlyOption = Annotated[list[str], typer.Option("--only", help="Run only this step.")]
VersionArg = Annotated[
    str | None, typer.Argument(help="The version to release; computed from commits if omitted.")
]


def _exit(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


def _preflight(ctx: Any, steps: list[Any], *, nothing: str) -> None:
    """Every check of the steps before the first one runs; any error stops with exit 2."""
    from release.cli import render as report
    from release.core import pipeline

    checked = pipeline.verify(ctx, steps)
    report.print_problems(checked.problems)
    if checked.errors:
        sys.stderr.write(f"{nothing}\n")
        _exit(ExitCode.BAD_INPUT)


def _no_cut_running(start: Path) -> None:
    from release.commands.status import no_cut_running  # the lock message, not a version error

    no_cut_running(start)


def _cut(ctx: Any, steps: list[Any], *, label: str = "cut", resuming: bool = False) -> Any:
    """pipeline.cut with the progress display (a spinner on a terminal, lines otherwise)."""
    from release.cli import render as report
    from release.core import pipeline

    progress = report.StepProgress()
    try:
        return pipeline.cut(ctx, steps, progress, label=label, resuming=resuming)
    finally:
        progress.close()


@app.command()
def next(pre: PreOption = None, json: JsonOption = False) -> None:
    """Print the next version, computed from the commits since the last release tag."""
    from release.cli.next import print_next

    print_next(pre, json=json)


@app.command()
def changelog(
    unreleased: Annotated[
        bool, typer.Option("--unreleased", help="Only the changes since the last release.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Write the changelog through git-cliff and the project's cliff.toml."""
    from release.commands.changelog import write_changelog

    write_changelog(Path.cwd(), unreleased=unreleased, output=output)


@app.command()
def verify(
    version: VersionArg = None,
    pre: PreOption = None,
    json: JsonOption = False,
    skip: SkipOption = [],  # noqa: B006 - typer reads the default, never mutates it
    only: OnlyOption = [],  # noqa: B006
) -> None:
    """The dry run: every check a cut would meet, and the plan. Changes nothing.

    On a checkout of a release tag with nothing new (release.yml's plan job), it checks the
    build and publish of that release and prints the build matrix."""
    from release.cli import render as report
    from release.core import pipeline
    from release.core.planning import plan, released_at_head
    from release.steps import catalog

    ctx = plan(Path.cwd(), version, pre)
    steps = catalog.cut_steps(ctx.config.git.mode)  # what a cut here would run
    if ctx.version is None and version is None and pre is None:
        tagged = released_at_head(Path.cwd())
        if tagged is not None:
            ctx, steps = tagged, catalog.tagged_steps()
    report.actions_outputs(ctx, released=False)
    if ctx.version is None:
        sys.stderr.write(f"no release: {ctx.reason}\n")
        if json:
            report.emit_json({**report.version_dict(ctx), "ok": True, "steps": [], "problems": []})
        return
    result = pipeline.verify(ctx, pipeline.select(steps, skip, only))
    report.matrix_output(ctx)
    if json:
        report.emit_json(report.plan_dict(result))
        report.print_problems(result.problems) if result.errors else None
    else:
        report.print_plan(result)
    if result.errors:
        _exit(ExitCode.PROBLEMS)


@app.command()
def cut(
    version: VersionArg = None,
    pre: PreOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    skip: SkipOption = [],  # noqa: B006
    only: OnlyOption = [],  # noqa: B006
    json: JsonOption = False,
) -> None:
    """Cut a release: changelog, manifests, commit, tag, push."""
    from release.cli import render as report
    from release.core import pipeline
    from release.core.errors import BadInput
    from release.core.planning import plan
    from release.steps import catalog

    _no_cut_running(Path.cwd())
    ctx = plan(Path.cwd(), version, pre)
    if ctx.version is None:
        report.actions_outputs(ctx, released=False)
        raise BadInput(
            f"nothing to release: {ctx.reason}",
            hint="give the version explicitly to release anyway, e.g. `release cut 1.2.3`",
        )
    everything = catalog.cut_steps(ctx.config.git.mode)
    steps = pipeline.select(everything, skip, only)
    _preflight(ctx, steps, nothing="Nothing was changed.")
    if not yes and sys.stdin.isatty() and not typer.confirm(f"Release {ctx.tag}?", default=True):
        _exit(ExitCode.BAD_INPUT)
    results = _cut(ctx, steps)
    report.released(ctx, results, json=json)


TargetOption = Annotated[
    list[str], typer.Option("--target", help="Build for this target triple (repeatable).")
]


@app.command()
def build(
    target: TargetOption = [],  # noqa: B006
    no_python: Annotated[
        bool,
        typer.Option("--no-python", help="Leave the Python packages to another runner."),
    ] = False,
    skip: SkipOption = [],  # noqa: B006
    only: OnlyOption = [],  # noqa: B006
    json: JsonOption = False,
) -> None:
    """Build, checksum and sign the artifacts of the release tagged at HEAD into dist/."""
    from release.cli import render as report
    from release.core import pipeline
    from release.core.planning import plan_tagged
    from release.steps import catalog

    ctx = plan_tagged(Path.cwd())
    ctx.targets = list(target)
    if no_python:
        ctx.config.build.python = False
    steps = pipeline.select(catalog.build_steps(), skip, only)
    _preflight(ctx, steps, nothing="Nothing was built.")
    results = _cut(ctx, steps, label="build")
    manifest = ctx.manifest()
    if json:
        report.emit_json({**report.cut_dict(ctx, results), "artifacts": manifest.to_dict()})
    else:
        for artifact in manifest.artifacts:
            sys.stdout.write(f"{artifact.path}\n")


ArtifactsOption = Annotated[
    list[Path],
    typer.Option(
        "--artifacts",
        help="A folder that `release build` filled (a runner's dist/); repeatable.",
    ),
]


@app.command()
def publish(
    artifacts: ArtifactsOption = [],  # noqa: B006
    skip: SkipOption = [],  # noqa: B006
    only: OnlyOption = [],  # noqa: B006
    json: JsonOption = False,
) -> None:
    """Publish the release tagged at HEAD from what is already built: crates, PyPI, Docker,
    the GitHub release, Homebrew and Slack. Several --artifacts folders are merged."""
    from release.cli import render as report
    from release.core import pipeline
    from release.core.artifacts import ArtifactManifest, gather
    from release.core.planning import plan_tagged
    from release.steps import catalog

    _no_cut_running(Path.cwd())
    ctx = plan_tagged(Path.cwd())
    if artifacts:
        manifests = [ArtifactManifest.load(folder.resolve()) for folder in artifacts]
        gather(manifests, ctx.dist)
    pipeline.check_manifest(ctx)
    steps = pipeline.select(catalog.publish_run_steps(), skip, only)
    _preflight(ctx, steps, nothing="Nothing was published.")
    results = _cut(ctx, steps, label="publish")
    report.released(ctx, results, json=json)


@app.command()
def status(json: JsonOption = False) -> None:
    """Show each cut's steps, what is left, and where its journal is."""
    from release.cli import render as report
    from release.commands import status as journals

    found = journals.status(Path.cwd())
    if json:
        report.emit_json({"releases": found})
    else:
        sys.stdout.write("".join(f"{line}\n" for line in journals.lines(found)))


@app.command()
def resume(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json: JsonOption = False,
) -> None:
    """Finish an interrupted cut: steps whose work is already done are skipped."""
    from release.cli import render as report
    from release.commands.resume import context_for_resume
    from release.steps import catalog

    _no_cut_running(Path.cwd())
    ctx = context_for_resume(Path.cwd())
    steps = catalog.cut_steps(ctx.config.git.mode)
    if not yes and sys.stdin.isatty() and not typer.confirm(f"Resume {ctx.tag}?", default=True):
        _exit(ExitCode.BAD_INPUT)
    results = _cut(ctx, steps, resuming=True)
    report.released(ctx, results, json=json)


PrintOption = Annotated[bool, typer.Option("--print", help="Print release.toml, write nothing.")]
WorkflowOption = Annotated[
    str | None, typer.Option(help="Write the release workflow to this new file (- prints it).")
]


@app.command()
def init(print_: PrintOption = False, workflow: WorkflowOption = None) -> None:
    """Write release.toml from what the project has; never over any of its files."""
    from release.cli import render as report
    from release.commands.init import init as run_init

    report.print_init(run_init(Path.cwd(), print_only=print_, workflow_to=workflow))


@app.command()
def login(
    name: Annotated[str, typer.Argument(help="The secret's name, e.g. PYPI_API_TOKEN.")],
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the value from standard input.")
    ] = False,
) -> None:
    """Store a secret in the system keyring (service release-toolkit); the environment
    still wins over it. Prompts without echo."""
    from release.core.secrets import store

    if stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = typer.prompt(f"{name}", hide_input=True)
    store(name, value)
    sys.stdout.write(f"stored {name} in the keyring\n")

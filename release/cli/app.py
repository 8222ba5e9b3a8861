"""The `release` command line: parses arguments, runs a command of release.commands, and shows
its result through release.cli.render; release.cli.entry maps errors to exit codes. No release
logic lives here; heavy modules are imported inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from release.base.errors import ExitCode
from release.cli import options
from release.cli.render import Terminal, show
from release.commands.result import Result

app = typer.Typer(
    help="Cut correct, resumable releases: changelog, versions, tags, builds and publishing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PreOption = Annotated[str | None, options.PRE.typer()]
JsonOption = Annotated[bool, options.JSON.typer()]
SkipOption = Annotated[list[str], options.SKIP.typer()]
OnlyOption = Annotated[list[str], options.ONLY.typer()]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
VersionArg = Annotated[
    str | None, typer.Argument(help="The version to release; computed from commits if omitted.")
]
PackagesOption = Annotated[list[str], options.PACKAGES.typer()]
TargetOption = Annotated[
    list[str], typer.Option("--target", help="Build for this target triple (repeatable).")
]
ArtifactsOption = Annotated[
    list[Path],
    typer.Option(
        "--artifacts",
        help="A folder that `release build` filled (a runner's dist/), or a folder of such "
        "folders; repeatable.",
    ),
]


def _finish(result: Result, *, json: bool = False) -> None:
    show(result, json=json)
    if result.exit_code != ExitCode.OK:
        _exit(result.exit_code)


def _exit(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


@app.command()
def next(pre: PreOption = None, json: JsonOption = False) -> None:
    """Print the next version, computed from the commits since the last release tag."""
    from release.commands.next import next_version

    _finish(next_version(Path.cwd(), pre), json=json)


@app.command()
def changelog(
    unreleased: Annotated[bool, options.UNRELEASED.typer()] = False,
    output: Annotated[Path | None, options.OUTPUT.typer()] = None,
    package: Annotated[str | None, options.PACKAGE.typer()] = None,
) -> None:
    """Write the changelog through git-cliff and the project's cliff.toml.

    With independent versions, each package's changelog beside its manifest."""
    from release.commands.changelog import write_changelog

    _finish(write_changelog(Path.cwd(), unreleased=unreleased, output=output, package=package))


@app.command()
def verify(
    version: VersionArg = None,
    pre: PreOption = None,
    json: JsonOption = False,
    skip: SkipOption = [],  # noqa: B006 - typer reads the default, never mutates it
    only: OnlyOption = [],  # noqa: B006
    package: PackagesOption = [],  # noqa: B006
    targets_on_runners: Annotated[bool, options.TARGETS_ON_RUNNERS.typer()] = False,
) -> None:
    """The dry run: every check a cut would meet, and the plan. Changes nothing.

    On a checkout of a release tag with nothing new (release.yml's plan job), it checks the
    build and publish of that release and prints the build matrix."""
    from release.commands.verify import verify as run

    found = run(
        Path.cwd(),
        version,
        pre,
        skip=skip,
        only=only,
        packages=package,
        targets_on_runners=targets_on_runners,
    )
    _finish(found, json=json)


@app.command()
def cut(
    version: VersionArg = None,
    pre: PreOption = None,
    yes: YesOption = False,
    skip: SkipOption = [],  # noqa: B006
    only: OnlyOption = [],  # noqa: B006
    json: JsonOption = False,
    package: PackagesOption = [],  # noqa: B006
    artifacts: ArtifactsOption = [],  # noqa: B006
) -> None:
    """Cut a release: changelog, manifests, commit, tag, push. With --artifacts, what CI
    runners built for it already (`release build`) is published, not built again."""
    from release.commands.cut import cut as run

    ui = Terminal()
    result = run(
        Path.cwd(),
        version,
        pre,
        ui,
        yes=yes,
        skip=skip,
        only=only,
        packages=package,
        artifacts=artifacts,
    )
    _finish(result, json=json)


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
    package: Annotated[
        str | None,
        typer.Option(
            "--package",
            help="Independent versions: this package's part of the release HEAD prepares.",
        ),
    ] = None,
) -> None:
    """Build, checksum and sign the artifacts of the release tagged at HEAD into dist/."""
    from release.commands.build import build as run

    result = run(
        Path.cwd(),
        Terminal(),
        targets=target,
        no_python=no_python,
        skip=skip,
        only=only,
        package=package,
    )
    _finish(result, json=json)


@app.command()
def publish(
    artifacts: ArtifactsOption = [],  # noqa: B006
    skip: SkipOption = [],  # noqa: B006
    only: OnlyOption = [],  # noqa: B006
    json: JsonOption = False,
) -> None:
    """Publish the release tagged at HEAD from what is already built: crates, PyPI, Docker,
    the GitHub release, Homebrew and Slack. Several --artifacts folders are merged."""
    from release.commands.publish import publish as run

    result = run(Path.cwd(), Terminal(), artifacts=artifacts, skip=skip, only=only)
    _finish(result, json=json)


@app.command()
def status(json: JsonOption = False) -> None:
    """Show each cut's steps, what is left, and where its journal is."""
    from release.commands.status import status as run

    _finish(run(Path.cwd()), json=json)


@app.command()
def resume(yes: YesOption = False, json: JsonOption = False) -> None:
    """Finish an interrupted cut: steps whose work is already done are skipped."""
    from release.commands.resume import resume as run

    ui = Terminal()
    if not yes:  # before resume puts back the files a killed cut changed
        ui.can_ask("whether to resume the interrupted release")
    _finish(run(Path.cwd(), ui, yes=yes), json=json)


@app.command()
def pr(json: JsonOption = False) -> None:
    """Open or update the release pull request: the next version's changelog and bump on
    the release branch, made from the remote's default branch. Merged, `release cut` tags
    and publishes it."""
    from release.commands.pr import pr as run

    _finish(run(Path.cwd()), json=json)


PrintOption = Annotated[
    bool, typer.Option("--print", help="Print release-toolkit.toml, write nothing.")
]
WorkflowOption = Annotated[
    str | None, typer.Option(help="Write the release workflow to this new file (- prints it).")
]


PrOption = Annotated[
    bool,
    typer.Option(
        "--pr", help="With --workflow: the release pull request's workflow (release pr, then cut)."
    ),
]


PinOption = Annotated[
    str | None,
    typer.Option(
        "--pin",
        metavar="COMMIT",
        help="Run the toolkit's action in the written workflow at this commit (its release "
        "tag's, as `git ls-remote` prints it) rather than at the tag.",
    ),
]


@app.command()
def init(
    print_: PrintOption = False,
    workflow: WorkflowOption = None,
    pr: PrOption = False,
    pin: PinOption = None,
) -> None:
    """Write release-toolkit.toml from what the project has; never over any of its files."""
    from release.commands.init import init as run

    _finish(run(Path.cwd(), print_only=print_, workflow_to=workflow, pull_request=pr, pin=pin))


LastOption = Annotated[int, typer.Option("--last", help="How many of the last releases.")]


@app.command()
def replay(last: LastOption = 10, json: JsonOption = False) -> None:
    """Replay the project's last releases in a scratch worktree and compare what release-toolkit
    would have done with what the project did. Changes nothing."""
    from release.commands.replay import replay as run

    _finish(run(Path.cwd(), last), json=json)


@app.command()
def login(
    name: Annotated[str, typer.Argument(help="The secret's name, e.g. PYPI_API_TOKEN.")],
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the value from standard input.")
    ] = False,
) -> None:
    """Store a secret in the system keyring (service release-toolkit); the environment
    still wins over it. Prompts without echo."""
    from release.commands.login import login as run

    if stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = typer.prompt(f"{name}", hide_input=True)
    _finish(run(name, value))

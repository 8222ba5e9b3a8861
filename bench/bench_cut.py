"""A whole `release cut` of the bundled example against the loopback services, with 200 ms
of latency injected into every request to the crate registry, the Docker registry, GitHub
and Slack (pypiserver runs as is): the wall time against the sum of the steps' times, which
is what the concurrent publishers (crates, PyPI, Docker, GitHub at once; independent crates
two at a time) save. Writes bench/RESULTS-cut.md."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from replay_history import replay  # noqa: E402

from tests.services.crate_registry import CrateRegistry  # noqa: E402
from tests.services.docker_registry import DockerRegistry  # noqa: E402
from tests.services.github_api import GithubApi  # noqa: E402
from tests.services.pypi import start_pypi  # noqa: E402
from tests.services.slack import SlackWebhook  # noqa: E402
from tests.services.tap import make_tap  # noqa: E402

PUBLISH = ("crates", "pypi", "docker", "github")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def one_cut(work: Path, latency: float, release_bin: Path) -> dict[str, float]:
    project = work / "demo"
    replay(
        ROOT / "examples" / "polyglot-demo", ROOT / "examples" / "polyglot-demo.history", project
    )
    git(work, "init", "-q", "--bare", "remote.git")
    git(project, "remote", "add", "origin", str(work / "remote.git"))
    git(project, "push", "-q", "origin", "main", "--tags")
    packages = work / "pypi"
    packages.mkdir()
    pypi, index = start_pypi(packages)
    crates = CrateRegistry().start()
    docker = DockerRegistry(work / "docker").start()
    github = GithubApi().start()
    github.add_repo("acme", "demo")
    slack = SlackWebhook().start()
    tap = make_tap(work)
    try:
        docker.push("acme/demo", "edge", seed="bench")
        for faults in (crates.faults, docker.faults, github.faults, slack.faults):
            faults.slow(seconds=latency)
        crates.cargo_config(project)
        (project / "release-toolkit.toml").write_text(f"""[project]
name = "demo"
[crates]
registry = "{crates.name}"
[pypi]
repository_url = "{index.url}"
index_url = "{index.simple_url}"
[docker]
image = "{docker.host}/acme/demo"
source = "edge"
insecure = true
[github]
repository = "acme/demo"
api_url = "{github.url}"
write_interval = 0
[homebrew]
tap = "{tap}"
""")
        git(project, "add", "-A")
        git(project, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "chore: b")
        git(project, "push", "-q", "origin", "main")
        env = {
            **os.environ,
            **crates.env,
            "TWINE_USERNAME": "u",
            "TWINE_PASSWORD": "bench-pass",
            "GITHUB_TOKEN": github.token,
            "SLACK_WEBHOOK_URL": slack.url,
            "PATH": f"{Path.home() / '.cargo' / 'bin'}:{os.environ['PATH']}",
        }
        start = time.perf_counter()
        proc = subprocess.run(
            [str(release_bin), "cut", "--yes", "--json"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-3000:])
        steps = {s["name"]: s["seconds"] for s in json.loads(proc.stdout)["steps"]}
        return {"wall": wall, **steps}
    finally:
        for service in (crates, docker, github, slack):
            service.stop()
        pypi.terminate()
        pypi.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--release-bin", type=Path, default=ROOT / ".venv" / "bin" / "release")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS-cut.md")
    args = parser.parse_args()
    results = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="release-bench-cut-") as tmp:
            results.append(one_cut(Path(tmp), args.latency, args.release_bin))
    median = {k: statistics.median(r[k] for r in results) for k in results[0]}
    steps = {k: v for k, v in median.items() if k != "wall"}
    total = sum(steps.values())
    publish_sum = sum(steps[k] for k in PUBLISH)
    publish_wall = max(steps[k] for k in PUBLISH)
    steps_wall = total - publish_sum + publish_wall  # the steps as the pipeline ran them
    preflight = median["wall"] - steps_wall  # start-up and the read-only checks before them
    rows = "\n".join(f"| {k} | {v:.2f} |" for k, v in steps.items())
    text = f"""# A whole cut with {args.latency * 1000:.0f} ms of latency per registry request

The bundled example (5 crates, a Python package, a Docker image, a Homebrew formula) cut to
1.2.0 against the loopback services; every request to the crate registry, the Docker
registry, GitHub and Slack waits {args.latency * 1000:.0f} ms first (pypiserver has no
latency). Medians of {args.runs} cuts, each on a fresh copy and fresh services.

| step | median s |
| --- | ---: |
{rows}

| | s |
| --- | ---: |
| the cut's wall time | {median["wall"]:.2f} |
| of which the preflight: every destination asked before the first step | {preflight:.2f} |
| of which the steps, as the pipeline ran them | {steps_wall:.2f} |
| the sum of the steps' times (everything one after the other) | {total:.2f} |
| the four publishers one after the other (crates + pypi + docker + github) | {publish_sum:.2f} |
| the four publishers at once (the slowest of them) | {publish_wall:.2f} |

Running the four publishers at once saves {publish_sum - publish_wall:.2f} s: the steps take
{steps_wall:.2f} s instead of {total:.2f} s ({steps_wall / total:.2f}×). Crates of one
dependency level publish two at a time ([crates] jobs = 2) inside `crates`; the changelog
step shows 0 s because the preflight already rendered its section.
"""
    args.output.write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

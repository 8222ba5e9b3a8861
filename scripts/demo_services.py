"""Start the loopback services the demo publishes to, write where they listen to a JSON file,
and serve until terminated; then print what each received. Used by scripts/demo; these are
the same servers the tests use (tests/services/).

    crates.io's protocol   tests/services/crate_registry.py  (the real cargo publishes to it)
    PyPI                   pypiserver                         (the real twine uploads to it)
    an OCI registry        Debian's docker-registry           (skopeo pushes the `edge` image)
    GitHub's REST API      tests/services/github_api.py       (PyGithub talks to it)
    a Slack webhook        tests/services/slack.py
    the Homebrew tap       a bare git repository
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import DockerRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import free_port
from tests.services.slack import SlackWebhook

IMAGE = "acme/demo"


def start_pypi(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """pypiserver without authentication, serving `folder`."""
    port = free_port()
    binary = Path(sys.executable).parent / "pypi-server"
    proc = subprocess.Popen(
        [str(binary), "run", "-i", "127.0.0.1", "-p", str(port), "-a", ".", "-P", ".", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "simple/", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("pypiserver did not start")


def make_tap(folder: Path) -> Path:
    bare = folder / "homebrew-tap.git"
    seed = folder / "tap-seed"
    for args in (
        ["init", "-q", "--bare", "-b", "main", str(bare)],
        ["clone", "-q", str(bare), str(seed)],
    ):
        subprocess.run(["git", *args], check=True, capture_output=True)
    (seed / "README.md").write_text("# The demo's Homebrew tap\n")
    for args in (
        ["add", "README.md"],
        ["-c", "user.name=demo", "-c", "user.email=demo@localhost", "commit", "-qm", "init"],
        ["push", "-q", "origin", "HEAD:refs/heads/main"],
    ):
        subprocess.run(["git", *args], cwd=seed, check=True, capture_output=True)
    return bare


def received(
    crates: CrateRegistry, docker: DockerRegistry, github: GithubApi, slack: SlackWebhook
) -> dict[str, object]:
    releases = [
        {
            "tag": r.tag_name,
            "draft": r.draft,
            "prerelease": r.prerelease,
            "assets": [a.name for a in r.assets],
        }
        for r in github.releases("acme", "demo")
    ]
    return {
        "published": crates.log.versions(),
        "docker": {tag: docker.digest(IMAGE, tag) for tag in docker.tags(IMAGE)},
        "github": releases,
        "slack": slack.texts(),
    }


def main() -> None:
    state = Path(sys.argv[1])
    work = state.parent
    crates = CrateRegistry().start()
    packages = work / "pypi-packages"
    packages.mkdir(exist_ok=True)
    pypi, pypi_url = start_pypi(packages)
    docker = DockerRegistry(work / "docker-registry").start()
    edge = docker.push(IMAGE, "edge", seed="demo", platforms=("linux/amd64", "linux/arm64"))
    github = GithubApi().start()
    github.add_repo("acme", "demo")
    slack = SlackWebhook().start()
    tap = make_tap(work)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    info = {
        "crates": {
            "name": crates.name,
            "index": crates.index_url,
            "env": crates.env,
            "cargo_config": crates.cargo_config_text(),
        },
        "pypi": {"url": pypi_url, "simple": pypi_url + "simple/", "folder": str(packages)},
        "docker": {"host": docker.host, "image": f"{docker.host}/{IMAGE}", "edge": edge},
        "github": {"url": github.url, "token": github.token, "repository": "acme/demo"},
        "slack": {"url": slack.url},
        "tap": str(tap),
    }
    state.write_text(json.dumps(info))
    try:
        stop.wait()
    finally:
        print(json.dumps(received(crates, docker, github, slack)), flush=True)
        crates.stop()
        docker.stop()
        github.stop()
        slack.stop()
        pypi.terminate()
        pypi.wait(timeout=10)


if __name__ == "__main__":
    main()

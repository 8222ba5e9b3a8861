"""Start the loopback services the demo publishes to, write where they listen to a JSON file,
and serve until terminated; then print what each received. Used by scripts/demo; these are
the same servers the tests use (tests/services/).

    crates.io's protocol   tests/services/crate_registry.py  (the real cargo publishes to it)
    PyPI                   pypiserver                         (the real twine uploads to it)
    two OCI registries     Debian's docker-registry, twice    (skopeo pushes the `edge` image
                                                              to the first; the second asks
                                                              for a password, as GHCR does)
    GitHub's REST API      tests/services/github_api.py       (PyGithub talks to it)
    a Slack webhook        tests/services/slack.py
    an SMTP server         aiosmtpd, STARTTLS and AUTH       (tests/services/smtp.py)
    the Homebrew tap       a bare git repository
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from release.steps.docker.auth import own_names
from tests.services.crate_registry import CrateRegistry
from tests.services.docker_registry import DockerRegistry
from tests.services.github_api import GithubApi
from tests.services.pypi import start_pypi
from tests.services.slack import SlackWebhook
from tests.services.smtp import SmtpServer
from tests.services.tap import make_tap
from tests.services.verdaccio import start_verdaccio

IMAGE = "acme/demo"


def received(
    crates: CrateRegistry,
    docker: DockerRegistry,
    mirror: DockerRegistry,
    github: GithubApi,
    slack: SlackWebhook,
    smtp: SmtpServer,
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
        "mirror": {tag: mirror.digest(IMAGE, tag) for tag in mirror.tags(IMAGE)},
        "github": releases,
        "slack": slack.texts(),
        "email": [
            {
                "subject": str(r.message["Subject"]),
                "to": r.recipients,
                "tls": r.tls,
                "text": r.message.get_body(("plain",)).get_content(),
                "parts": [p.get_content_type() for p in r.message.iter_parts()],
            }
            for r in smtp.messages
        ],
    }


def main() -> None:
    state = Path(sys.argv[1])
    work = state.parent
    crates = CrateRegistry().start()
    packages = work / "pypi-packages"
    packages.mkdir(exist_ok=True)
    pypi, pypi_server = start_pypi(packages)
    pypi_url = pypi_server.url
    docker = DockerRegistry(work / "docker-registry").start()
    edge = docker.push(IMAGE, "edge", seed="demo", platforms=("linux/amd64", "linux/arm64"))
    mirror = DockerRegistry(work / "docker-registry-2", auth=True).start()
    smtp = SmtpServer().start()
    github = GithubApi().start()
    github.add_repo("acme", "demo")
    slack = SlackWebhook().start()
    tap = make_tap(work)
    npm = start_verdaccio(work / "verdaccio")
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
        "mirror": {
            "image": f"{mirror.host}/{IMAGE}",
            "env": dict(
                zip(own_names(mirror.host), (mirror.username, mirror.password), strict=True)
            ),
        },
        "smtp": {"host": smtp.host, "port": smtp.port, "env": smtp.env},
        "github": {"url": github.url, "token": github.token, "repository": "acme/demo"},
        "slack": {"url": slack.url},
        "tap": str(tap),
        "npm": {"url": npm.url, "token": npm.token},
    }
    state.write_text(json.dumps(info))
    try:
        stop.wait()
    finally:
        print(json.dumps(received(crates, docker, mirror, github, slack, smtp)), flush=True)
        crates.stop()
        docker.stop()
        mirror.stop()
        smtp.stop()
        github.stop()
        slack.stop()
        pypi.terminate()
        pypi.wait(timeout=10)
        npm.stop()


if __name__ == "__main__":
    main()

"""Faults injected into every loopback service during whole cuts: transient ones are
retried and the release lands once; a lasting one stops the cut cleanly, Slack hears of
it, and `release resume` finishes."""

from __future__ import annotations

from ..conftest import git, run_release
from .stack import Stack


def test_transient_faults_everywhere_still_publish_once(stack: Stack) -> None:
    crates, docker_registry, github_api = stack.crates, stack.docker, stack.github
    slack_webhook, demo = stack.slack, stack.project
    crates.faults.rate_limit("/api/v1/crates/new", nth=2, retry_after=1)
    crates.faults.fail(r"^/index/", status=503, nth=4)
    docker_registry.faults.fail(r"/manifests/", method="PUT", status=500, nth=2)
    docker_registry.faults.drop(r"/tags/list", nth=1)
    github_api.faults.fail(r"^/uploads/", status=502, nth=3)
    github_api.faults.fail(r"/releases$", method="GET", status=503, nth=1)
    slack_webhook.faults.rate_limit(retry_after=1)
    try:
        result = run_release(demo, "cut", "2.0.0", "--yes", env=stack.env)
    finally:
        injected = sum(
            rule.fired
            for faults in (crates.faults, docker_registry.faults, github_api.faults)
            for rule in faults.rules
        ) + sum(rule.fired for rule in slack_webhook.faults.rules)
        for faults in (crates.faults, docker_registry.faults, github_api.faults):
            faults.clear()
        slack_webhook.faults.clear()
    assert result.code == 0, result.err
    assert injected == 7  # every fault fired, and was survived
    stack.check_published("2.0.0")


def test_a_lasting_failure_stops_cleanly_and_resume_finishes(stack: Stack) -> None:
    github_api, slack_webhook, demo = stack.github, stack.slack, stack.project
    github_api.faults.fail(r"^/uploads/", status=500, times=None)  # GitHub's uploads are down
    try:
        failed = run_release(demo, "cut", "2.1.0", "--yes", env=stack.env)
    finally:
        github_api.faults.clear()
    assert failed.code == 1
    assert "step github failed" in failed.err and "release resume" in failed.err
    # The tag is the commit point: nothing says "released" while the release is partial.
    assert "refs/tags/v2.1.0" not in git(demo, "ls-remote", str(stack.remote))
    failures = [t for t in slack_webhook.texts() if t == "demo 2.1.0: release failed at github"]
    assert len(failures) == 1
    # No secret in the output, the journal, dist/ or the Slack message.
    secrets = [v for k, v in stack.env.items() if "TOKEN" in k or "PASSWORD" in k or "URL" in k]
    texts = [failed.out, failed.err, *map(str, slack_webhook.payloads)]
    texts += [
        p.read_text(errors="replace") for p in (demo / ".git" / "release-toolkit").rglob("*.jsonl")
    ]
    texts += [p.read_text(errors="replace") for p in (demo / "dist").rglob("*") if p.is_file()]
    assert len(secrets) == 5 and not [s for s in secrets for t in texts if s in t]
    resumed = run_release(demo, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published("2.1.0")

"""The two pipelines end to end on loopback (tests/e2e/pipelines.py): each destination
counted after a cut, after a kill and `release resume`, and after a registry failure."""

from __future__ import annotations

import json
from pathlib import Path

from release.core.engine.matrix import build_matrix
from release.core.plan.planning import plan

from ..conftest import git, run_release
from .pipelines import SIX_TARGETS
from .stack import Stack


def test_the_profiler_workflow_builds_six_targets_on_three_systems(profiler_stack: Stack) -> None:
    ctx = plan(profiler_stack.project)
    ctx.config.build.targets = SIX_TARGETS
    matrix = build_matrix(ctx)["include"]
    assert [job["target"] for job in matrix] == SIX_TARGETS
    assert {job["runner"].split("-")[0] for job in matrix} == {"ubuntu", "macos", "windows"}
    # The Python packages are built once, on the first runner.
    assert [job["args"].endswith("--no-python") for job in matrix] == [False] + [True] * 5


def test_the_profiler_pipeline_cut(profiler_stack: Stack) -> None:
    stack = profiler_stack
    assert stack.mirror is not None and stack.smtp is not None
    verify = run_release(stack.project, "verify", "--json", env=stack.env)
    assert verify.code == 0, verify.err
    steps = {s["name"]: s for s in json.loads(verify.out)["steps"]}
    assert stack.mirror.host in steps["docker"]["action"]
    assert str(stack.smtp.port) in steps["email"]["action"]
    cut = run_release(stack.project, "cut", "--yes", env=stack.env)
    assert cut.code == 0, cut.err
    stack.check_published("1.2.0")
    # The e-mail: the changelog section and every place the release landed, in both parts.
    [received] = [r for r in stack.smtp.messages if r.message["Subject"] == "demo 1.2.0 released"]
    assert received.tls and received.recipients == ["team@example.org"]
    text = received.message.get_body(("plain",)).get_content()
    page = received.message.get_body(("html",)).get_content()
    for registry in (stack.docker, stack.mirror):
        assert f"Docker: {registry.host}/acme/{stack.name}:1.2.0, 1.2, 1, latest" in text
    assert "Greet in French" in text and "Greet in French" in page
    assert f'href="https://github.com/acme/{stack.name}/releases/tag/v1.2.0"' in page


def test_a_registry_failure_then_resume_lands_everything_once(profiler_stack: Stack) -> None:
    stack = profiler_stack
    assert stack.mirror is not None
    stack.mirror.faults.fail(r"/manifests/", method="PUT", status=500, times=None)
    try:
        failed = run_release(stack.project, "cut", "1.3.0", "--yes", env=stack.env)
    finally:
        stack.mirror.faults.clear()
    assert failed.code == 1 and "step docker failed" in failed.err, failed.err
    assert stack.mails("demo 1.3.0: release failed at docker") == 1
    [mail] = [r.message for r in stack.smtp.messages] if stack.smtp else []
    assert "release resume" in mail.get_body(("plain",)).get_content()
    secrets = [v for k, v in stack.env.items() if "PASSWORD" in k or "TOKEN" in k]
    assert not [s for s in secrets if s in failed.err + failed.out + mail.as_string()]
    resumed = run_release(stack.project, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published("1.3.0")


def test_a_killed_profiler_cut_resumes_to_everything_once(profiler_stack: Stack) -> None:
    stack = profiler_stack
    env = {**stack.env, "RELEASE_TEST_KILL_AT": "after:docker"}
    killed = run_release(stack.project, "cut", "1.4.0", "--yes", env=env)
    assert killed.code == -9, killed.err
    resumed = run_release(stack.project, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published("1.4.0")
    assert stack.mails("demo 1.4.0 released") == 1


def test_the_proxy_pipeline_signed_multi_arch_then_killed_and_resumed(proxy_stack: Stack) -> None:
    stack = proxy_stack
    cut = run_release(stack.project, "cut", "2.2.0", "--yes", env=stack.env)
    assert cut.code == 0, cut.err
    stack.check_published("2.2.0")
    dist = stack.project / "dist"
    signed = sorted(p.name for p in dist.glob("*.asc"))
    assert "SHA256SUMS.asc" in signed and any(n.endswith(".whl.asc") for n in signed)
    assert any(".tar.gz.asc" in n for n in signed)
    killed = run_release(
        stack.project, "cut", "2.3.0", "--yes",
        env={**stack.env, "RELEASE_TEST_KILL_AT": "after:github"},
    )  # fmt: skip
    assert killed.code == -9, killed.err
    resumed = run_release(stack.project, "resume", "--yes", env=stack.env)
    assert resumed.code == 0, resumed.err
    stack.check_published("2.3.0")
    # 2.2.0 keeps its index: the version tag never moved.
    assert stack.docker.digest(f"acme/{stack.name}", "2.2.0") == stack.image_digest("2.2.0")
    assert "refs/tags/v2.3.0" in git(stack.project, "ls-remote", str(stack.remote))
    assert Path(dist / "SHA256SUMS.asc").is_file()

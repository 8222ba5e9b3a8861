"""The Homebrew formula: only url, sha256 and version lines change, `ruby -c` accepts the
result, and the tap is a real bare git repository that receives it once."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

import pytest

from release.base.errors import BadInput, ReleaseError
from release.core.engine.artifacts import Artifact
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.homebrew import formula
from release.steps.homebrew.step import HomebrewStep
from tests.services.github_api import GithubApi
from tests.services.tap import make_tap, tap_file, tap_log

from ..conftest import Repo, git

FORMULA = """\
class Demo < Formula
  desc "Demo tool"
  homepage "https://example.test/demo"
  version "1.1.0"
  license "MIT"

  on_macos do
    on_arm do
      url "https://example.test/old/demo-v1.1.0-aarch64-apple-darwin.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000001"
    end
    on_intel do
      url "https://example.test/old/demo-v1.1.0-x86_64-apple-darwin.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000002"
    end
  end

  on_linux do
    on_intel do
      url "https://example.test/old/demo-v1.1.0-x86_64-unknown-linux-gnu.tar.gz" # linux
      sha256 "0000000000000000000000000000000000000000000000000000000000000003"
    end
  end

  resource "extra" do
    url "https://example.test/extra-1.0.tar.gz"
    sha256 "0000000000000000000000000000000000000000000000000000000000000009"
    version "9.9.9"
  end

  def install
    bin.install "demo"
  end

  test do
    system bin/"demo", "--version"
  end
end
"""
TARGETS = ["aarch64-apple-darwin", "x86_64-apple-darwin", "x86_64-unknown-linux-gnu"]


def ruby_ok(path: Path) -> None:
    proc = subprocess.run(["ruby", "-c", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0 and "Syntax OK" in proc.stdout, proc.stderr


def test_platform_blocks_are_found_and_resources_left_alone() -> None:
    found = formula.downloads(FORMULA, "demo.rb")
    assert [(d.platform.os, d.platform.arch) for d in found] == [
        ("macos", "arm"),
        ("macos", "intel"),
        ("linux", "intel"),
    ]
    assert [d.url_line + 1 for d in found] == [9, 13, 20]
    assert found[0].platform.matches("aarch64-apple-darwin")
    assert not found[0].platform.matches("x86_64-apple-darwin")
    assert not found[2].platform.matches("aarch64-unknown-linux-gnu")


def test_only_url_sha256_and_version_lines_change_and_ruby_accepts_it(tmp_path: Path) -> None:
    text = FORMULA.replace("\n", "\r\n")  # line endings are kept too
    found = formula.downloads(text, "demo.rb")
    files = {d: (f"https://dl.test/{i}.tar.gz", f"{i:064x}") for i, d in enumerate(found)}
    updated = formula.update(text, "1.2.0", files, "demo.rb")
    diff = difflib.unified_diff(text.splitlines(True), updated.splitlines(True), n=0)
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    removed = [line[1:].strip() for line in changed if line.startswith("-")]
    added = [line[1:].strip() for line in changed if line.startswith("+")]
    assert len(removed) == len(added) == 7  # version + 3 × (url, sha256)
    assert all(line.split()[0] in {"url", "sha256", "version"} for line in added)
    assert 'version "1.2.0"' in added and 'version "9.9.9"' not in removed
    assert 'url "https://dl.test/2.tar.gz" # linux' in added  # trailing comment kept
    assert "https://example.test/extra-1.0.tar.gz" in updated  # the resource is untouched
    assert updated.count("\r\n") == text.count("\r\n")
    out = tmp_path / "demo.rb"
    out.write_text(updated.replace("\r\n", "\n"))
    ruby_ok(out)


def test_url_without_sha256_names_the_line() -> None:
    broken = FORMULA.replace(
        '      sha256 "0000000000000000000000000000000000000000000000000000000000000002"\n', ""
    )
    with pytest.raises(BadInput) as caught:
        formula.downloads(broken, "formulas/demo.rb")
    assert caught.value.where == "formulas/demo.rb:13"
    assert "no sha256" in caught.value.message


@pytest.fixture
def released(repo: Repo, tmp_path: Path) -> tuple[ReleaseContext, Path]:
    """A tagged project with a formula, a tap, and archives for three targets in dist/."""
    bare = make_tap(tmp_path)
    repo.write("formulas/demo.rb", FORMULA)
    repo.write(
        "release.toml",
        f'[homebrew]\ntap = "{bare}"\nurl = "https://dl.example.test/{{tag}}/{{file}}"\n\n'
        f"[build]\ntargets = {TARGETS!r}\n".replace("'", '"'),
    )
    repo.write(".gitignore", "dist/\n")
    repo.commit("feat: formula")
    repo.tag("v1.2.0")
    ctx = plan_tagged(repo.path)
    ctx.dist.mkdir()
    manifest = ctx.manifest()
    for target in TARGETS:
        path = ctx.dist / f"demo-v1.2.0-{target}.tar.gz"
        path.write_bytes(f"archive for {target}".encode())
        manifest.add(Artifact.of(ctx.dist, path, "binary-archive", target=target, name="demo"))
    manifest.save(ctx.dist)
    return ctx, bare


def test_the_tap_gets_the_formula_once(released: tuple[ReleaseContext, Path]) -> None:
    ctx, bare = released
    step = HomebrewStep()
    assert step.applies(ctx)
    assert step.check(ctx) == []
    assert not step.done(ctx)
    step.run(ctx)
    text = tap_file(bare)
    assert text is not None
    for artifact in ctx.manifest().artifacts:
        assert f'sha256 "{artifact.sha256}"' in text
    assert 'version "1.2.0"' in text
    assert text.count('url "https://dl.example.test/v1.2.0/demo-v1.2.0-') == 3
    assert tap_log(bare) == ["demo 1.2.0", "init"]
    assert step.done(ctx)
    # The project's own formula is the template: it is never rewritten by the release.
    assert (ctx.root / "formulas/demo.rb").read_text() == FORMULA


def test_urls_point_at_the_github_release(
    released: tuple[ReleaseContext, Path], tmp_path: Path
) -> None:
    ctx, bare = released
    ctx.config.homebrew.url = None
    assert "no download URL" in HomebrewStep().check(ctx)[0].message
    ctx.config.github.repository = "acme/demo"
    assert HomebrewStep().check(ctx) == []
    step = HomebrewStep()
    step.run(ctx)
    text = tap_file(bare) or ""
    assert (
        'url "https://github.com/acme/demo/releases/download/v1.2.0/'
        'demo-v1.2.0-x86_64-unknown-linux-gnu.tar.gz" # linux'
    ) in text
    out = tmp_path / "demo.rb"
    out.write_text(text)
    ruby_ok(out)


def test_other_sha256_in_the_tap_is_refused(released: tuple[ReleaseContext, Path]) -> None:
    ctx, bare = released
    step = HomebrewStep()
    step.run(ctx)
    # Someone rebuilt an archive: our artifacts now differ from what the tap announces.
    archive = ctx.dist / "demo-v1.2.0-x86_64-apple-darwin.tar.gz"
    archive.write_bytes(b"rebuilt")
    manifest = ctx.manifest()
    manifest.add(
        Artifact.of(ctx.dist, archive, "binary-archive", target="x86_64-apple-darwin", name="demo")
    )
    before = tap_log(bare)
    with pytest.raises(ReleaseError, match=r"already has demo-v1\.2\.0-x86_64-apple-darwin"):
        step.done(ctx)
    with pytest.raises(ReleaseError, match="another sha256"):
        step.run(ctx)
    assert tap_log(bare) == before


def test_a_platform_without_a_target_is_a_verify_problem(
    released: tuple[ReleaseContext, Path],
) -> None:
    ctx, _ = released
    ctx.config.build.targets = ["x86_64-unknown-linux-gnu"]
    problems = HomebrewStep().check(ctx)
    assert [p.where for p in problems] == ["formulas/demo.rb:9", "formulas/demo.rb:13"]
    assert "on_macos × on_arm" in problems[0].message
    assert "[build] targets" in (problems[0].hint or "")


def test_an_unreachable_tap_is_a_verify_problem(
    released: tuple[ReleaseContext, Path], tmp_path: Path
) -> None:
    ctx, _ = released
    ctx.config.homebrew.tap = str(tmp_path / "no-such-tap.git")
    problems = HomebrewStep().check(ctx)
    assert len(problems) == 1 and "git ls-remote of the tap" in problems[0].message
    assert "does not appear to be a git repository" in problems[0].message  # git's own words
    assert "HOMEBREW_TAP_TOKEN" in (problems[0].hint or "")


def test_prereleases_skip_the_tap_unless_asked(repo: Repo, tmp_path: Path) -> None:
    bare = make_tap(tmp_path)
    repo.write("formulas/demo.rb", FORMULA)
    repo.write("release.toml", f'[homebrew]\ntap = "{bare}"\n')
    repo.commit("feat: formula")
    repo.tag("v1.2.0-rc.1")
    ctx = plan_tagged(repo.path)
    assert not HomebrewStep().applies(ctx)
    ctx.config.homebrew.prereleases = True
    assert HomebrewStep().applies(ctx)


def test_pull_request_mode(
    released: tuple[ReleaseContext, Path],
    github_api: GithubApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx, bare = released
    github_api.add_repo("acme", "homebrew-tap")
    monkeypatch.setenv("GITHUB_TOKEN", github_api.token)
    ctx.config.github.api_url = github_api.url
    ctx.config.github.write_interval = 0
    ctx.config.homebrew.pull_request = True
    ctx.config.homebrew.tap_repository = "acme/homebrew-tap"
    step = HomebrewStep()
    assert step.check(ctx) == []
    assert not step.done(ctx)
    step.run(ctx)
    assert tap_log(bare) == ["init"]  # main is untouched until the pull request is merged
    branch = "release/demo-1.2.0"
    assert git(bare, "log", "--format=%s", branch).splitlines() == ["demo 1.2.0", "init"]
    [pull] = github_api.pulls("acme", "homebrew-tap")
    assert (pull.head, pull.base, pull.title) == (branch, "main", "demo 1.2.0")
    assert step.done(ctx)
    step.run(ctx)  # a resumed run: the same branch, no second pull request
    assert len(github_api.pulls("acme", "homebrew-tap")) == 1

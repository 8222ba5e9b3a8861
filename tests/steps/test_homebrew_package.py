"""Independent versions: the tap's formula follows the package `[homebrew] package` names,
with that package's version and archives, pushed to a real bare tap; unset, no release
would update it, and verify says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.engine.artifacts import Artifact
from release.core.engine.context import ReleaseContext
from release.core.engine.step import Skip
from release.steps.homebrew.step import HomebrewStep
from tests.services.tap import make_tap, tap_file, tap_log

from ..conftest import Repo
from .package_repo import contexts, independent

FORMULA = """\
class Lens < Formula
  desc "Lens"
  homepage "https://example.test/lens"
  version "1.0.0"

  on_linux do
    on_intel do
      url "https://example.test/old/lens-v1.0.0-x86_64-unknown-linux-gnu.tar.gz"
      sha256 "0000000000000000000000000000000000000000000000000000000000000001"
    end
  end

  def install
    bin.install "lens"
  end
end
"""
TARGET = "x86_64-unknown-linux-gnu"


def released(
    repo: Repo, tmp_path: Path, package_line: str
) -> tuple[dict[str, ReleaseContext], Path]:
    bare = make_tap(tmp_path)
    repo.write("formulas/lens.rb", FORMULA)
    independent(
        repo,
        f'[homebrew]\ntap = "{bare}"\nurl = "https://dl.example.test/{{tag}}/{{file}}"\n'
        f'{package_line}\n[build]\ntargets = ["{TARGET}"]\n',
    )
    ctxs = contexts(repo)
    cli = ctxs["lens-cli"]
    cli.dist.mkdir(parents=True)
    archive = cli.dist / f"lens-lens-cli-v1.0.1-{TARGET}.tar.gz"
    archive.write_bytes(b"the lens binary")
    cli.manifest().add(Artifact.of(cli.dist, archive, "binary-archive", target=TARGET, name="lens"))
    return ctxs, bare


def test_only_the_named_package_updates_the_tap(repo: Repo, tmp_path: Path) -> None:
    ctxs, bare = released(repo, tmp_path, 'package = "lens-cli"')
    step = HomebrewStep()
    for other in ("lens-core", "lens-py", "@acme/web"):
        assert step.applies(ctxs[other]) == Skip(
            f"[homebrew] package = 'lens-cli': it is released with lens-cli, not {other}"
        )
    cli = ctxs["lens-cli"]
    assert step.applies(cli) and step.check(cli) == []
    assert not step.done(cli)
    step.run(cli)
    text = tap_file(bare, "Formula/lens.rb")
    assert text is not None and 'version "1.0.1"' in text
    assert (
        'url "https://dl.example.test/lens-cli-v1.0.1/lens-lens-cli-v1.0.1-x86_64-unknown-linux-gnu'
        '.tar.gz"'
    ) in text
    assert tap_log(bare) == ["lens 1.0.1", "init"]
    assert step.done(cli)


def test_a_tap_no_package_updates_is_an_error(repo: Repo, tmp_path: Path) -> None:
    ctxs, bare = released(repo, tmp_path, "")
    step = HomebrewStep()
    for ctx in ctxs.values():
        assert step.applies(ctx)
        [problem] = step.check(ctx)
        assert problem.severity == "error"
        assert "[homebrew] package is not set" in problem.message
        assert not step.done(ctx)
    with pytest.raises(ConfigError, match=r"\[homebrew\] package is not set"):
        step.run(ctxs["lens-cli"])
    assert tap_log(bare) == ["init"]

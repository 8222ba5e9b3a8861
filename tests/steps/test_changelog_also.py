"""Lockstep with several changelogs (lerna writes CHANGELOG.md and
packages/lerna/CHANGELOG.md in every release): `[changelog] also`, learned by init."""

from __future__ import annotations

import json

from release.commands.init import init
from release.core.plan.planning import plan
from release.core.settings import config
from release.steps.changelog.step import ChangelogStep
from tests.conftest import Repo


def _release(repo: Repo, version: str) -> None:
    repo.write("packages/lerna/package.json", json.dumps({"name": "lerna", "version": version}))
    retired = () if version == "1.2.0" else ("packages/legacy/CHANGELOG.md",)  # written no more
    for path in ("CHANGELOG.md", "packages/lerna/CHANGELOG.md", *retired):
        old = (repo.path / path).read_text()
        repo.write(path, old.replace("\n\n", f"\n\n## [{version}] (2026-01-01)\n\n- x\n\n", 1))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"chore(misc): publish {version}")
    repo.tag(f"v{version}")


def test_init_learns_both_changelogs_and_a_cut_writes_both(repo: Repo) -> None:
    repo.write("packages/lerna/package.json", json.dumps({"name": "lerna", "version": "0.9.0"}))
    repo.write("CHANGELOG.md", "# Change Log\n\n")
    repo.write("packages/lerna/CHANGELOG.md", "# Change Log\n\n")
    repo.write("packages/legacy/CHANGELOG.md", "# Change Log\n\n")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: start")
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        repo.commit("feat: in the package", file=f"packages/lerna/{version}.js")
        _release(repo, version)
    result = init(repo.path)
    cfg = config.load(repo.path)
    assert (cfg.changelog.path, cfg.changelog.also) == (
        "CHANGELOG.md",
        ["packages/lerna/CHANGELOG.md"],
    )
    (summary,) = [k for k in result.kept if k.startswith("replayed")]
    assert "changelog 3/3" in summary  # the legacy one, written by the older releases only,
    # is the project's history: not learned
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "chore: adopt release-toolkit")
    repo.commit("feat: outside the package", file="docs/guide.md")
    repo.commit("fix: inside the package", file="packages/lerna/index.js")
    ctx = plan(repo.path)
    step = ChangelogStep()
    assert not step.done(ctx)
    step.run(ctx)
    assert step.done(ctx)
    root = (repo.path / "CHANGELOG.md").read_text().lower()
    package = (repo.path / "packages/lerna/CHANGELOG.md").read_text().lower()
    assert "outside the package" in root and "inside the package" in root
    assert "outside the package" not in package and "inside the package" in package
    assert package.index("1.3.0") < package.index("## [1.2.0]")

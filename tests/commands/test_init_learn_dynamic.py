"""pyo3's shape: a pyproject.toml whose `[project] version` is dynamic (maturin reads the
crate's) and whose `[tool.towncrier] version` each release commit bumps. init learns that
line, though the pyproject is a manifest it knows, and the replay bumps it as pyo3 did."""

from __future__ import annotations

from release.commands.init import init
from release.commands.replay import replay
from release.core.settings import config
from tests.conftest import Repo

CRATE = '[package]\nname = "tool"\nversion = "{version}"\nedition = "2021"\n'
PYPROJECT = (
    '[build-system]\nrequires = ["maturin>=1"]\nbuild-backend = "maturin"\n\n'
    '[project]\nname = "tool"\ndynamic = ["version"]\n\n'
    '[tool.towncrier]\nfilename = "CHANGELOG.md"\nversion = "{version}"\n'
)


def _release(repo: Repo, version: str) -> None:
    repo.write("Cargo.toml", CRATE.format(version=version))
    repo.write("pyproject.toml", PYPROJECT.format(version=version))
    old = (repo.path / "CHANGELOG.md").read_text()
    head, _, rest = old.partition("\n\n")
    repo.write("CHANGELOG.md", f"{head}\n\n## [{version}] - 2026-01-01\n\n- x\n\n{rest}")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"release: {version}")
    repo.tag(f"v{version}")


def test_a_dynamic_pyprojects_own_version_line_is_learned(repo: Repo) -> None:
    repo.write("src/lib.rs", "")
    repo.write("LICENSE", "MIT\n")
    repo.write("CHANGELOG.md", "# Changelog\n\n")
    repo.commit("chore: start")
    _release(repo, "0.28.0")
    repo.commit("fix: a fix", file="src/lib.rs")
    _release(repo, "0.28.1")
    init(repo.path)
    extra = [(e.path, e.search) for e in config.load(repo.path).manifests.extra]
    assert extra == [("pyproject.toml", 'version = "{version}"')]
    (one,) = replay(repo.path, last=1).releases
    assert "pyproject.toml" in one.ours_files & one.theirs_files
    assert one.agrees("files"), one.as_dict()

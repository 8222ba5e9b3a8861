"""Every path the config names is checked by verify, each problem at the config's file:line."""

from __future__ import annotations

from release.core.plan.planning import plan
from release.core.settings import config_paths

from ..conftest import Repo

PYPROJECT = """[project]
name = "demo"
version = "1.0.0"

[tool.release.build]
include = ["README.md", "../secret.txt", "/etc/hostname"]

[tool.release.changelog]
path = "docs/../../outside.md"

[[tool.release.manifests.extra]]
path = "version.txt"

[tool.release.homebrew]
tap = "https://example.test/tap.git"
formula = "formulas/demo.rb"
path = "Formula/../../{name}.rb"
"""


def test_each_path_leaving_the_repository_is_one_problem_at_its_line(repo: Repo) -> None:
    (repo.path.parent / "secret.txt").write_text("SECRET")
    repo.write("pyproject.toml", PYPROJECT)
    repo.write("version.txt", "1.0.0\n")
    repo.commit("feat: one")
    ctx = plan(repo.path, "1.1.0")
    found = [(p.where, p.message) for p in config_paths.problems(ctx)]
    source = repo.path / "pyproject.toml"
    assert found == [
        (f"{source}:9", "[changelog] path docs/../../outside.md is outside the repository"),
        (f"{source}:6", "[build] include ../secret.txt is outside the repository"),
        (f"{source}:6", "[build] include /etc/hostname is an absolute path"),
        (f"{source}:17", '[homebrew] path Formula/../../{name}.rb goes up with ".."'),
    ]


def test_a_clean_repository_has_none(repo: Repo) -> None:
    repo.write("README.md", "# demo\n")
    (repo.path / "LICENSE").symlink_to("README.md")  # a link that stays inside is fine to read
    repo.commit("feat: one")
    assert config_paths.problems(plan(repo.path, "1.0.0")) == []

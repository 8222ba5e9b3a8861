"""Example crates and packages (under `examples/`) that no tag names are no packages: not
versioned, not bumped in lockstep, not naming a clash with a real package."""

from __future__ import annotations

from pathlib import Path

from release.base.versioning import Version
from release.core.project.layout import detect
from release.core.project.manifests import CargoWorkspace
from release.core.project.packages import discover, stated_versions
from release.core.project.unpublished import unpublished
from release.core.settings.config import Config
from tests.conftest import Repo


def tauri_shaped(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*", "examples/demo/src-app"]\n')
    repo.write("crates/app/Cargo.toml", '[package]\nname = "app"\nversion = "2.1.0"\n')
    repo.write("crates/app-lib/Cargo.toml", '[package]\nname = "app-lib"\nversion = "2.0.3"\n')
    repo.write("examples/demo/src-app/Cargo.toml", '[package]\nname = "demo"\nversion = "0.1.0"\n')
    repo.write("examples/demo/package.json", '{"name": "demo", "version": "0.1.0"}\n')
    repo.commit("chore: init")


def test_an_example_no_tag_names_is_no_package(repo: Repo) -> None:
    tauri_shaped(repo)
    config = Config()
    config.manifests.npm = ["examples/demo/package.json"]
    packages = discover(repo.path, config, detect(repo.path, config))
    assert [p.name for p in packages] == ["app", "app-lib"]  # no `demo` clash either
    assert stated_versions(repo.path, detect(repo.path, config)) == {"2.1.0", "2.0.3"}
    assert unpublished(CargoWorkspace(repo.path / "Cargo.toml")) == {"demo"}


def test_an_example_a_tag_names_or_that_says_it_is_published_stays(repo: Repo) -> None:
    tauri_shaped(repo)
    repo.tag("demo-v0.1.0")
    packages = discover(repo.path, Config(), detect(repo.path, Config()))
    # kept, and as both the crate and the npm package are, named by their registries
    assert {"cargo/demo", "npm/demo"} <= {p.name for p in packages}
    assert unpublished(CargoWorkspace(repo.path / "Cargo.toml")) == set()


def test_publish_true_keeps_an_example(tmp_path: Path) -> None:
    (tmp_path / "examples/x").mkdir(parents=True)
    (tmp_path / "Cargo.toml").write_text('[workspace]\nmembers = ["examples/x"]\n')
    (tmp_path / "examples/x/Cargo.toml").write_text(
        '[package]\nname = "x"\nversion = "0.1.0"\npublish = true\n'
    )
    packages = discover(tmp_path, Config(), detect(tmp_path, Config()))
    assert [p.name for p in packages] == ["x"]


def test_an_examples_requirement_moves_only_when_it_leaves_the_release_out(repo: Repo) -> None:
    """mdBook's shape: the example requires `mdbook = { version = "0.4.40", path = ... }`;
    a lockstep bump to 0.4.48 leaves it (the project did), one to 0.5.0 raises it."""
    repo.write(
        "Cargo.toml",
        '[package]\nname = "book"\nversion = "0.4.47"\n\n'
        '[workspace]\nmembers = [".", "examples/strip"]\n',
    )
    example = (
        '[package]\nname = "book-strip"\nversion = "0.1.0"\n\n[dependencies]\n'
        'book = { version = "0.4.40", path = "../.." }\n'
    )
    repo.write("examples/strip/Cargo.toml", example)
    repo.commit("chore: init")
    repo.tag("v0.4.47")
    workspace = CargoWorkspace(repo.path / "Cargo.toml")
    patch = workspace.bumped(Version.parse("0.4.48"))
    assert 'version = "0.4.48"' in patch[repo.path / "Cargo.toml"]
    assert patch[repo.path / "examples/strip/Cargo.toml"] == example  # untouched
    minor = workspace.bumped(Version.parse("0.5.0"))[repo.path / "examples/strip/Cargo.toml"]
    assert 'book = { version = "0.5.0", path = "../.." }' in minor
    assert 'version = "0.1.0"' in minor  # its own version stays


def test_tags_of_another_package_do_not_name_an_example(repo: Repo) -> None:
    """tauri's example `api` (0.1.0) beside the `api-v1.5.0` tags of the npm package that was
    called `api` before it took its scope; `demo-cli-v0.1.0` is another package's."""
    tauri_shaped(repo)
    repo.tag("demo-v1.5.0")
    repo.tag("demo-v1")  # tauri has `api-v1` and `api-v1.0` too
    repo.tag("demo-cli-v0.1.0")
    packages = discover(repo.path, Config(), detect(repo.path, Config()))
    assert [p.name for p in packages] == ["app", "app-lib"]
    assert unpublished(CargoWorkspace(repo.path / "Cargo.toml")) == {"demo"}


def test_test_and_bench_crates_are_no_packages_either(repo: Repo) -> None:
    """tauri's `crates/tests/restart` and `bench`, pyo3's `tests/ui/base`: publishable by
    their manifests, released by nobody."""
    repo.write(
        "Cargo.toml", '[workspace]\nmembers = ["crates/app", "crates/tests/restart", "bench"]\n'
    )
    repo.write("crates/app/Cargo.toml", '[package]\nname = "app"\nversion = "2.1.0"\n')
    repo.write(
        "crates/tests/restart/Cargo.toml", '[package]\nname = "restart"\nversion = "0.1.0"\n'
    )
    repo.write("bench/Cargo.toml", '[package]\nname = "app_bench"\nversion = "0.1.0"\n')
    repo.commit("chore: init")
    assert [p.name for p in discover(repo.path, Config(), detect(repo.path, Config()))] == ["app"]
    assert stated_versions(repo.path, detect(repo.path, Config())) == {"2.1.0"}

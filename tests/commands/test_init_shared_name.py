"""`release init` and `release replay` on the two shapes that stopped at init: a crate and a
PyPI package of one name on their own version lines (polars: `rs-0.45.0`, `py-1.20.0`), and
an example crate beside an example npm package of one name (tauri's `examples/resources`)."""

from __future__ import annotations

from release.commands.init import init
from release.commands.next import next_version
from release.commands.replay import replay
from release.core.settings import config
from tests.conftest import Repo

CRATE = '[package]\nname = "tool"\nversion = "{version}"\nedition = "2021"\n'
PYPROJECT = (
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "tool"\nversion = "{version}"\n'
)


def _release(repo: Repo, where: str, version: str, tag: str) -> None:
    """The project's release of one product: its manifest, its changelog, its tag."""
    if where == "crates/tool":
        repo.write(f"{where}/Cargo.toml", CRATE.format(version=version))
    else:
        repo.write(f"{where}/pyproject.toml", PYPROJECT.format(version=version))
    log = repo.path / where / "CHANGELOG.md"
    old = log.read_text() if log.exists() else "# Changelog\n\n"
    head, _, rest = old.partition("\n\n")
    repo.write(f"{where}/CHANGELOG.md", f"{head}\n\n## [{version}] - 2026-01-01\n\n- x\n\n{rest}")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"chore(release): {tag}")
    repo.tag(tag)


def polars_history(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n')
    repo.write("crates/tool/src/lib.rs", "")
    repo.write("py/tool/__init__.py", "")
    repo.write("LICENSE", "MIT\n")
    # the examples crate and npm package of one name, never released
    repo.write("examples/demo/Cargo.toml", '[package]\nname = "demo"\nversion = "0.1.0"\n')
    repo.write("examples/demo/package.json", '{"name": "demo", "version": "0.2.0"}\n')
    repo.commit("chore: start")
    _release(repo, "crates/tool", "0.44.0", "rs-0.44.0")
    _release(repo, "py", "1.19.0", "py-1.19.0")
    repo.commit("feat(rust): a kernel", file="crates/tool/src/lib.rs")
    _release(repo, "crates/tool", "0.45.0", "rs-0.45.0")
    repo.commit("fix(python): a binding", file="py/tool/__init__.py")
    _release(repo, "py", "1.19.1", "py-1.19.1")
    repo.commit("feat(python): an API", file="py/tool/__init__.py")
    _release(repo, "py", "1.20.0", "py-1.20.0")


def test_init_learns_each_products_tag_series_and_replays_them(repo: Repo) -> None:
    polars_history(repo)
    result = init(repo.path)
    cfg = config.load(repo.path)
    assert cfg.version.mode == "independent"
    assert cfg.version.tag_formats == {"cargo/tool": "rs-{version}", "pypi/tool": "py-{version}"}
    assert any("'tool' names packages of two ecosystems" in line for line in result.detected)
    replayed = replay(repo.path, last=5)
    by_tag = {tag: r for r in replayed.releases for tag in r.theirs_tags.values()}
    assert sorted(by_tag) == ["py-1.19.0", "py-1.19.1", "py-1.20.0", "rs-0.44.0", "rs-0.45.0"]
    assert by_tag["rs-0.45.0"].theirs_tags == {"cargo/tool": "rs-0.45.0"}
    for tag in ("rs-0.45.0", "py-1.19.1", "py-1.20.0"):  # the first ones: the project's choice
        release = by_tag[tag]
        assert release.error is None and release.differences == [], release.as_dict()
        assert release.ours_tags == release.theirs_tags
    # and what comes next names each product by its registry, in its own series
    repo.commit("fix(rust): a kernel fix", file="crates/tool/src/lib.rs")
    packages = {p.name: p for p in next_version(repo.path, None).packages or []}
    assert packages["cargo/tool"].previous_tag == "rs-0.45.0"
    assert (packages["cargo/tool"].version, packages["cargo/tool"].tag) == ("0.45.1", "rs-0.45.1")
    assert packages["pypi/tool"].previous_tag == "py-1.20.0"
    assert packages["pypi/tool"].version is None
    assert "demo" not in str(list(packages))  # the examples are no packages


def test_a_crate_and_an_npm_package_of_one_name_on_their_own_tags(repo: Repo) -> None:
    """The crate `cli` tagged `cli-v2.0.4`, the npm package `cli` tagged `cli@1.6.3` (tauri's
    shape, without the scope)."""
    npm = '{{\n  "name": "cli",\n  "version": "{version}"\n}}\n'
    repo.write("LICENSE", "MIT\n")
    # a library crate of its own version: the workspace is versioned per package
    repo.write(
        "crates/cli-core/Cargo.toml", CRATE.replace("tool", "cli-core").format(version="0.3.0")
    )
    repo.commit("chore: start")
    repo.tag("cli-core-v0.3.0")
    for version, tag, folder in (
        ("2.0.3", "cli-v2.0.3", "crates/cli"),
        ("1.6.2", "cli@1.6.2", "js"),
        ("2.0.4", "cli-v2.0.4", "crates/cli"),
        ("1.6.3", "cli@1.6.3", "js"),
    ):
        repo.commit(f"fix: in {folder}", file=f"{folder}/src/a.txt")
        if folder == "js":
            repo.write("js/package.json", npm.format(version=version))
        else:
            repo.write(
                "crates/cli/Cargo.toml", CRATE.replace("tool", "cli").format(version=version)
            )
            repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", f"chore(release): {tag}")
        repo.tag(tag)
    init(repo.path)
    cfg = config.load(repo.path)
    assert cfg.version.tag_formats == {"cargo/cli": "cli-v{version}", "npm/cli": "cli@{version}"}
    replayed = replay(repo.path, last=4)
    by_tag = {tag: r for r in replayed.releases for tag in r.theirs_tags.values()}
    assert by_tag["cli-v2.0.4"].theirs_tags == {"cargo/cli": "cli-v2.0.4"}
    assert by_tag["cli@1.6.3"].theirs_tags == {"npm/cli": "cli@1.6.3"}
    for tag in ("cli-v2.0.4", "cli@1.6.3"):
        release = by_tag[tag]
        assert release.ours_tags == release.theirs_tags, release.as_dict()
        assert release.agrees("version"), release.as_dict()
        # the one difference: release-toolkit writes a changelog, this project none (policy)
        assert [(d.kind, d.ours) for d in release.differences] == [
            ("policy", f"{'crates/cli' if tag.startswith('cli-v') else 'js'}/CHANGELOG.md")
        ], release.as_dict()

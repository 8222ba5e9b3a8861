"""Independent mode: a file the release commits bump beside several packages' releases states
whose version? tauri's `metadata-v2.json` names the CLI's version and the `tauri` crate's,
its `config.schema.json` the crate's in a URL. init learns one `[[manifests.extra]]` per
owner, and the replay bumps them as the project did."""

from __future__ import annotations

from release.commands.init import init
from release.commands.replay import replay
from release.core.settings import config
from tests.conftest import Repo

CRATE = '[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'
META = '{{\n  "version": "{cli}",\n  "app": "{app}"\n}}\n'
SCHEMA = '{{\n  "$id": "https://schema.example.org/config/{app}",\n  "type": "object"\n}}\n'


def _release(repo: Repo, app: str, cli: str) -> None:
    repo.write("crates/app/Cargo.toml", CRATE.format(name="app", version=app))
    repo.write("crates/app-cli/Cargo.toml", CRATE.format(name="app-cli", version=cli))
    repo.write("crates/app-cli/metadata.json", META.format(cli=cli, app=app))
    repo.write("crates/app-cli/config.schema.json", SCHEMA.format(app=app))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", f"chore(release): app-v{app}, app-cli-v{cli}")
    repo.tag(f"app-v{app}")
    repo.tag(f"app-cli-v{cli}")


def test_each_version_a_file_states_is_learned_with_its_package(repo: Repo) -> None:
    repo.write("Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    repo.write("LICENSE", "MIT\n")
    repo.commit("chore: start")
    _release(repo, "2.0.4", "1.2.0")
    repo.commit("fix(app): a fix", file="crates/app/src/lib.rs")
    repo.commit("fix(cli): a fix", file="crates/app-cli/src/main.rs")
    _release(repo, "2.0.5", "1.2.1")
    repo.commit("feat(app): a feature", file="crates/app/src/lib.rs")
    repo.commit("fix(cli): another fix", file="crates/app-cli/src/main.rs")
    _release(repo, "2.1.0", "1.2.2")
    init(repo.path)
    extra = {(e.path, e.search, e.package) for e in config.load(repo.path).manifests.extra}
    assert extra == {
        ("crates/app-cli/metadata.json", '"version": "{version}",', "app-cli"),
        ("crates/app-cli/metadata.json", '"app": "{version}"', "app"),
        (
            "crates/app-cli/config.schema.json",
            '"$id": "https://schema.example.org/config/{version}",',
            "app",
        ),
    }
    replayed = replay(repo.path, last=2)
    assert len(replayed.releases) == 2
    for release in replayed.releases:
        assert release.agrees("version"), release.as_dict()
        # every file the project bumped, bumped; the one difference: our changelogs (policy)
        assert {"crates/app-cli/metadata.json", "crates/app-cli/config.schema.json"} <= (
            release.ours_files & release.theirs_files
        )
        assert all(
            d.kind == "policy" and d.ours.endswith("CHANGELOG.md") for d in release.differences
        ), release.as_dict()

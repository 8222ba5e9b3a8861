"""A changelog is a file the release commits add a release heading to: a README whose install
snippet's version line is bumped is not, nor is a version in a URL or a dependency line."""

from __future__ import annotations

from release.commands.replay_scratch import section_files
from release.core.project.changelog_file import headings
from release.core.project.release_headings import adds_release_heading, names_release
from release.tools.git import Git
from tests.conftest import Repo

README = """# tool-ffi

```toml
[dependencies]
tool-ffi = "{v}"
```

[Docs](https://docs.rs/tool-ffi/{v}/tool_ffi/)
"""


def test_a_dependency_line_above_a_fence_is_no_heading() -> None:
    text = README.format(v="0.23.0")
    assert [h.text for h in headings(text)] == ["tool-ffi"]
    assert not adds_release_heading(text, ['tool-ffi = "0.23.0"'], {"0.23.0"})


def test_what_names_a_release() -> None:
    assert names_release("[0.23.0] - 2024-11-15", {"0.23.0"})
    assert names_release("Release v0.23.0 (November 2024)", {"0.23.0"})
    assert not names_release('tool = "0.23.0"', {"0.23.0"})
    assert not names_release("tool@0.23.0", {"0.23.0"})
    assert not names_release("see https://example.com/v0.23.0/notes", {"0.23.0"})
    assert not names_release("[0.22.0] - 2024-10-01", {"0.23.0"})


def test_a_readme_with_a_version_line_beside_a_changelog(repo: Repo) -> None:
    """The pyo3 shape: the release commit bumps a README's snippet and writes the changelog."""
    repo.write("tool-ffi/README.md", README.format(v="0.22.0"))
    repo.write("CHANGELOG.md", "# Changelog\n\n## [0.22.0] - 2024-10-01\n\n- old\n")
    repo.commit("chore: start")
    repo.write("tool-ffi/README.md", README.format(v="0.23.0"))
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [0.23.0] - 2024-11-15\n\n- new\n\n## [0.22.0] - 2024-10-01\n\n- old\n",
    )
    release = repo.commit("release: 0.23.0")
    git = Git(repo.path)
    paths = {"tool-ffi/README.md", "CHANGELOG.md"}
    assert section_files(git, release, paths, {"0.23.0"}) == {"CHANGELOG.md"}
    # a commit that bumps the README alone writes no changelog (pyo3's tag on a docs commit)
    repo.write("tool-ffi/README.md", README.format(v="0.23.1"))
    docs = repo.commit("docs: bump the snippet")
    assert section_files(git, docs, {"tool-ffi/README.md"}, {"0.23.1"}) == set()


def test_a_history_file_gets_a_release_heading(repo: Repo) -> None:
    repo.write("docs/history/tool.md", "# History\n\n## 1.0.0\n\n- first\n")
    repo.commit("chore: start")
    repo.write("docs/history/tool.md", "# History\n\n## 1.1.0\n\n- second\n\n## 1.0.0\n\n- first\n")
    release = repo.commit("release 1.1.0")
    found = section_files(Git(repo.path), release, {"docs/history/tool.md"}, {"1.1.0"})
    assert found == {"docs/history/tool.md"}

"""Where a new section goes in an existing changelog, and at which heading level."""

from __future__ import annotations

from release.core.project import changelog_file

SECTION = "## [0.45.0] - 2026-02-01\n\n### Features\n\n```\n## in a fence\n```\n- y\n"


def test_a_section_takes_the_level_of_the_files_release_headings() -> None:
    existing = "# Changelog\n\n#### [0.44.1] - 2026-01-01\n\n##### Fixes\n\n- x\n"
    text = changelog_file.insert(existing, SECTION, ["0.44.1"])
    assert text is not None
    assert text.startswith("# Changelog\n\n#### [0.45.0] - 2026-02-01\n\n##### Features\n")
    assert "\n## in a fence\n" in text  # code is not a heading
    assert text.endswith("#### [0.44.1] - 2026-01-01\n\n##### Fixes\n\n- x\n")


def test_a_section_of_the_same_level_is_left_as_rendered() -> None:
    existing = "# Changelog\n\n## [0.44.1] - 2026-01-01\n\n- x\n"
    text = changelog_file.insert(existing, SECTION, ["0.44.1"])
    assert text == "# Changelog\n\n" + SECTION + "\n" + existing.partition("\n\n")[2]


def test_levels_stay_within_markdowns_six() -> None:
    existing = "# [1.0.0]\n\n- x\n"
    section = "### [1.1.0]\n\n###### deep\n"
    text = changelog_file.insert(existing, section, ["1.0.0"])
    assert text is not None and text.startswith("# [1.1.0]\n\n#### deep\n")


def test_a_setext_changelog_gets_a_setext_section() -> None:
    """just's CHANGELOG.md: releases underlined with `---`, their groups `###`."""
    existing = "Changelog\n=========\n\n[1.58.0](u) - 2026\n------------------\n\n### Added\n- a\n"
    section = "## [1.59.0](u) - 2026\n\n### Features\n\n- y\n"
    text = changelog_file.insert(existing, section, ["1.58.0"])
    assert text is not None
    new = "[1.59.0](u) - 2026\n------------------\n\n### Features\n\n- y\n\n"
    assert text == "Changelog\n=========\n\n" + new + existing.partition("=========\n\n")[2]


def test_a_package_heading_names_the_version_when_the_file_does() -> None:
    """A package's changelog headed `[0.13.29]` while its tags are `pkg-v0.13.29`."""
    existing = "# Changelog\n\n## [0.13.29](u/compare/pkg-v0.13.28..pkg-v0.13.29)\n\n- x\n"
    section = "## [pkg-v0.13.30](u/compare/pkg-v0.13.29..pkg-v0.13.30)\n\n- y\n"
    text = changelog_file.insert(existing, section, ["0.13.29"])
    assert text is not None
    assert "## [0.13.30](u/compare/pkg-v0.13.29..pkg-v0.13.30)\n" in text  # the link kept
    tagged = "# Changelog\n\n## [pkg-v0.13.29]\n\n- x\n"  # the file names tags: kept
    assert "## [pkg-v0.13.30](" in (changelog_file.insert(tagged, section, ["0.13.29"]) or "")


def test_an_unreleased_sections_prose_stays_under_it() -> None:
    """cargo-dist keeps `# Unreleased` / `Nothing Yet!` above its newest release."""
    existing = "# Unreleased\n\nNothing Yet!\n\n\n# Version 0.31.0 (2026-02-23)\n\nx\n"
    section = "# Version 0.32.0 (2026-03-01)\n\n- y\n"
    text = changelog_file.insert(existing, section, ["0.31.0"])
    head = "# Unreleased\n\nNothing Yet!\n\n\n"
    assert text == head + section + "\n" + existing[len(head) :]


def test_an_unreleased_sections_entries_under_bold_labels_go_to_the_release() -> None:
    """hatch: `## Unreleased`, then `***Fixed***` and its entries: all of it is the release's."""
    existing = "## Unreleased\n\n***Fixed***\n\n- A fix\n\n## [1.30.1] - 2026\n\n- x\n"
    text = changelog_file.insert(
        existing, "## [1.31.0] - 2026\n\n### Fixed\n\n- A fix\n", ["1.30.1"]
    )
    assert text is not None
    assert text.index("## Unreleased") < text.index("## [1.31.0]") < text.index("***Fixed***")


RST = (
    ".. _changelog:\n\n=========\nCHANGELOG\n=========\n\n"
    ".. _changelog-v10.6.0:\n\nv10.6.0 (2026-07-04)\n====================\n\n* a feature\n"
)


def test_an_rst_release_keeps_the_label_above_its_title() -> None:
    # python-semantic-release: each title has its label; the new section goes above the label.
    section = "v10.6.1 (2026-07-06)\n====================\n\n* a fix\n"
    text = changelog_file.insert(RST, section, ["10.6.0"])
    assert text is not None
    assert text.index("v10.6.1 (2026-07-06)") < text.index(".. _changelog-v10.6.0:")
    assert ".. _changelog-v10.6.0:\n\nv10.6.0 (2026-07-04)\n" in text  # still together
    assert text.startswith(".. _changelog:\n\n=========\nCHANGELOG\n=========\n\nv10.6.1")


def test_an_html_anchor_stays_with_its_heading() -> None:
    # conventional-changelog's angular preset: `<a name="1.2.0"></a>` above each release.
    existing = '# Changelog\n\n<a name="1.2.0"></a>\n## [1.2.0](https://x/c) (2026-01-01)\n\n- x\n'
    text = changelog_file.insert(existing, "## [1.3.0] (2026-02-01)\n\n- y\n", ["1.2.0"])
    assert text is not None
    assert text.startswith('# Changelog\n\n## [1.3.0] (2026-02-01)\n\n- y\n\n<a name="1.2.0">')


def test_an_unrelated_line_above_a_heading_is_not_taken_for_an_anchor() -> None:
    existing = "# Changelog\n\nSee the docs.\n## [1.2.0]\n\n- x\n"
    text = changelog_file.insert(existing, "## [1.3.0]\n\n- y\n", ["1.2.0"])
    assert text == "# Changelog\n\nSee the docs.\n## [1.3.0]\n\n- y\n\n## [1.2.0]\n\n- x\n"


def test_an_rst_section_takes_the_files_title_adornments() -> None:
    section = "10.6.1 (2026-07-06)\n-------------------\n\nFixes\n~~~~~\n\n* a fix\n"
    existing = RST.replace("* a feature\n", "Features\n--------\n\n* a feature\n")
    text = changelog_file.insert(existing, section, ["10.6.0"])
    assert text is not None
    assert "10.6.1 (2026-07-06)\n===================\n\nFixes\n-----\n" in text
    assert text.endswith("Features\n--------\n\n* a feature\n")  # theirs as it was


CONVENTIONAL = (
    "# Change Log\n\n"
    "## [10.0.1](https://x/compare/v10.0.0...v10.0.1) (2026-08-19)\n\n### Bug Fixes\n\n- a\n\n"
    "# [10.0.0](https://x/compare/v9.0.7...v10.0.0) (2026-07-29)\n\n### Features\n\n- b\n\n"
    "## v3.0.0-beta.0 (2018-03-07)\n\n- an older style\n"
)


def test_conventional_changelog_heads_minors_with_one_hash_and_patches_with_two() -> None:
    minor = "## [10.1.0](https://x/c) (2026-09-01)\n\n### Features\n\n- c\n"
    text = changelog_file.insert(CONVENTIONAL, minor, ["10.0.1", "10.0.0"])
    assert text is not None
    assert text.startswith("# Change Log\n\n# [10.1.0](https://x/c) (2026-09-01)\n\n### Features")
    patch = "## [10.0.2](https://x/c) (2026-09-01)\n\n### Bug Fixes\n\n- c\n"
    text = changelog_file.insert(CONVENTIONAL, patch, ["10.0.1", "10.0.0"])
    assert text is not None and text.startswith("# Change Log\n\n## [10.0.2]")

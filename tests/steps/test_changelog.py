from __future__ import annotations

from release.steps.changelog.step import prepend

HEADER = "# Changelog\n\nAll notable changes.\n\n"
SECTION = "## [1.2.0] - 2026-11-24\n\n### Features\n- New\n"


def test_new_file_gets_header_and_section() -> None:
    assert prepend(None, HEADER, SECTION) == HEADER + SECTION + "\n"


def test_section_goes_after_the_exact_header_and_keeps_old_bytes() -> None:
    old = HEADER + "## [1.1.0] - 2026-01-01\r\n\r\n- Old  entry \t\r\n"
    new = prepend(old, HEADER, SECTION)
    assert new == HEADER + SECTION + "\n" + old[len(HEADER) :]


def test_a_different_header_still_keeps_everything_before_the_first_section() -> None:
    old = "# History\n\nHand-written intro.\n\n## 1.1.0\n- Old\n"
    new = prepend(old, HEADER, SECTION)
    assert new == "# History\n\nHand-written intro.\n\n" + SECTION + "\n## 1.1.0\n- Old\n"


def test_a_file_with_only_a_header() -> None:
    assert prepend("# Changelog\n", HEADER, SECTION) == "# Changelog\n\n" + SECTION + "\n"

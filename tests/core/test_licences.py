"""Licence files by their usual names, without config."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.core.licences import default_include, licence_files

LICENCES = [
    "LICENSE",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "LICENSE-APACHE-2.0",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "COPYING",
    "COPYING.LESSER",
    "UNLICENSE",
    "license",
]
NOT_LICENCES = ["license_checker.py", "LICENSE-check.sh", "licenses.json", "README.md", "NOTES"]


@pytest.mark.parametrize("name", LICENCES)
def test_a_licence_by_its_usual_name(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("terms\n")
    assert licence_files(tmp_path) == [name]


def test_other_files_are_not_licences(tmp_path: Path) -> None:
    for name in NOT_LICENCES:
        (tmp_path / name).write_text("x\n")
    (tmp_path / "LICENSES").mkdir()  # REUSE's folder: not a file to pack
    assert licence_files(tmp_path) == []


def test_the_default_include_of_a_dual_licensed_repository(tmp_path: Path) -> None:
    for name in ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "README.rst"]:
        (tmp_path / name).write_text("x\n")
    assert default_include(tmp_path) == ["README.md", "LICENSE-APACHE", "LICENSE-MIT"]

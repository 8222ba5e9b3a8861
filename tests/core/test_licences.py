"""Licence files by their usual names, without config."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.core.project.licences import default_include, licence_files

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
    assert licence_files(tmp_path) == []


def test_a_reuse_folder_when_there_is_no_licence_file(tmp_path: Path) -> None:
    (tmp_path / "LICENSES").mkdir()
    for name in ["MIT.txt", "Apache-2.0.txt"]:
        (tmp_path / "LICENSES" / name).write_text("terms\n")
    assert licence_files(tmp_path) == ["LICENSES/Apache-2.0.txt", "LICENSES/MIT.txt"]
    (tmp_path / "COPYING").write_text("terms\n")
    assert licence_files(tmp_path) == ["COPYING"]


def test_the_default_include_of_a_dual_licensed_repository(tmp_path: Path) -> None:
    for name in ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "README.rst"]:
        (tmp_path / name).write_text("x\n")
    assert default_include(tmp_path) == ["README.md", "LICENSE-APACHE", "LICENSE-MIT"]

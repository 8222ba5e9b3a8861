"""Small modules (issue #26): none of release/ grows past 300 lines; split rather than grow."""

from __future__ import annotations

from pathlib import Path

LIMIT = 300
PACKAGE = Path(__file__).resolve().parent.parent / "release"


def test_no_module_is_over_300_lines() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 100  # the package was found
    over = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert over == {}, f"split these modules (over {LIMIT} lines): {over}"

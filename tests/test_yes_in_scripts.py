"""What the project ships runs `release cut` and `release resume` without a terminal: each such
line passes --yes, without which they refuse (tests/cli/test_noninteractive.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [
    *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
    *sorted((ROOT / "release" / "data").glob("*.yml")),  # the workflows init writes
    ROOT / "scripts" / "demo",
]
# `release cut ...` in a script, or `command: cut ...` of a step that uses the toolkit's action
_RUN = re.compile(
    r"""(?:(?:^|[\s"'(])(?:release|"\$RELEASE")|^\s*command:)\s+(cut|resume)\b(.*)$"""
)


def test_every_shipped_cut_and_resume_passes_yes() -> None:
    runs = []
    for path in SHIPPED:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#") or "echo" in line:
                continue
            match = _RUN.search(line)
            if match:
                runs.append((f"{path.relative_to(ROOT)}:{number}", match.group(2)))
    assert runs, "no cut found: the pattern no longer matches the scripts"
    assert [where for where, rest in runs if "--yes" not in rest.split()] == []

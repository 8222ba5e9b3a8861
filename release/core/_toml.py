"""tomllib on Python 3.11+, its backport tomli before; and reading a TOML file with an error
that names the file and line."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from release.core.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["load", "tomllib"]


def load(path: Path, *, hint: str) -> dict[str, Any]:
    """The parsed file; a syntax error is one ConfigError at `file:line`, with `hint`."""
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        line = re.search(r"at line (\d+)", text)
        raise ConfigError(
            f"{path.name} is not valid TOML: {text.split(' (at')[0]}",
            hint=hint,
            where=f"{path}:{line.group(1)}" if line else str(path),
        ) from None

"""tomli (TOML 1.1, as Cargo reads it), under tomllib's name; and reading a TOML file with an error
that names the file and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# tomli, not the standard library's tomllib: tomli 2.5 reads TOML 1.1, which Cargo accepts
# (inline tables over several lines) and Python's tomllib refuses.
import tomli as tomllib

from release.base.errors import ConfigError

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

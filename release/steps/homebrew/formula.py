"""Homebrew formulas: find each download of a formula (the top-level one, or one per
`on_macos`/`on_linux` × `on_arm`/`on_intel` block) and rewrite its `url` and `sha256`, and
the `version`, leaving every other byte as it was. `resource` blocks are never touched.

Ruby is not parsed, only the formula DSL's shape: blocks open with `do` (or `def`, `if`,
`class` ...) and close with `end`; that is enough to know which platform a `url` is for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from release.base.errors import BadInput

PLATFORMS = {"on_macos": "macos", "on_linux": "linux", "on_arm": "arm", "on_intel": "intel"}
_OPENS = re.compile(
    r"^\s*(?:(?:class|module|def|if|unless|case|while|until|begin)\b(?!.*\bend\s*$)|.*\bdo(?:\s*\|[^|]*\|)?\s*(?:#.*)?$)"
)
_END = re.compile(r"^\s*end\b")
_PLATFORM = re.compile(r"^\s*(on_macos|on_linux|on_arm|on_intel)\s+do\s*(?:#.*)?$")
_RESOURCE = re.compile(r"^\s*resource\s+[\"'][^\"']+[\"']\s+do\b")
_STRING = r"(\s*)({key})(\s+)\"([^\"]*)\"(.*)$"
URL = re.compile(_STRING.format(key="url"))
SHA = re.compile(_STRING.format(key="sha256"))
VERSION = re.compile(_STRING.format(key="version"))


@dataclass(frozen=True)
class Platform:
    os: str | None  # macos | linux | None: any
    arch: str | None  # arm | intel | None: any

    def matches(self, target: str | None) -> bool:
        if target is None:
            return self.os is None and self.arch is None
        if self.os == "macos" and "apple-darwin" not in target:
            return False
        if self.os == "linux" and "linux" not in target:
            return False
        if self.arch == "arm" and not target.startswith(("aarch64", "arm")):
            return False
        return not (self.arch == "intel" and not target.startswith(("x86_64", "i686")))

    def __str__(self) -> str:
        parts = [f"on_{p}" for p in (self.os, self.arch) if p]
        return " × ".join(parts) or "top level"


@dataclass(frozen=True)
class Download:
    platform: Platform
    url_line: int  # 0-based
    sha_line: int | None
    url: str


def downloads(text: str, where: str) -> list[Download]:
    """Every download of the formula outside `resource` blocks, with its platform."""
    lines = text.splitlines()
    stack: list[str] = []
    found: list[Download] = []
    pending: tuple[Platform, int, str] | None = None
    for number, line in enumerate(lines):
        if _END.match(line):
            if stack:
                stack.pop()
            continue
        in_resource = "resource" in stack
        url = URL.match(line)
        if url and not in_resource:
            if pending:
                found.append(Download(pending[0], pending[1], None, pending[2]))
            os_ = next((PLATFORMS[b] for b in stack if b in ("on_macos", "on_linux")), None)
            arch = next((PLATFORMS[b] for b in stack if b in ("on_arm", "on_intel")), None)
            pending = (Platform(os_, arch), number, url.group(4))
        elif SHA.match(line) and not in_resource and pending:
            found.append(Download(pending[0], pending[1], number, pending[2]))
            pending = None
        platform = _PLATFORM.match(line)
        if platform:
            stack.append(platform.group(1))
        elif _RESOURCE.match(line):
            stack.append("resource")
        elif _OPENS.match(line):
            stack.append("block")
    if pending:
        found.append(Download(pending[0], pending[1], None, pending[2]))
    for download in found:
        if download.sha_line is None:
            raise BadInput(
                f"the url for {download.platform} has no sha256 line after it",
                hint='add `sha256 "..."` after the url (any value: the release fills it in)',
                where=f"{where}:{download.url_line + 1}",
            )
    if not found:
        raise BadInput(
            "the formula has no url outside its resource blocks",
            hint="a formula needs `url` and `sha256` lines to update",
            where=where,
        )
    return found


def update(text: str, version: str, files: dict[Download, tuple[str, str]], where: str) -> str:
    """The formula with each download's url and sha256 (`files`: download -> (url, sha256))
    and the version replaced; every other line keeps its bytes."""
    lines = text.splitlines(keepends=True)

    def replace(number: int, pattern: re.Pattern[str], value: str) -> None:
        line = lines[number]
        ending = line[len(line.rstrip("\r\n")) :]
        match = pattern.match(line.rstrip("\r\n"))
        assert match is not None
        indent, key, space, _, rest = match.groups()
        lines[number] = f'{indent}{key}{space}"{value}"{rest}{ending}'

    for download, (url, sha256) in files.items():
        replace(download.url_line, URL, url)
        assert download.sha_line is not None
        replace(download.sha_line, SHA, sha256)
    stack: list[str] = []
    for number, line in enumerate(lines):
        if _END.match(line):
            if stack:
                stack.pop()
            continue
        if VERSION.match(line.rstrip("\r\n")) and "resource" not in stack:
            replace(number, VERSION, version)
        if _RESOURCE.match(line):
            stack.append("resource")
        elif _PLATFORM.match(line) or _OPENS.match(line):
            stack.append("block")
    del where
    return "".join(lines)

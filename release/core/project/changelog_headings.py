"""The headings of a Markdown or reStructuredText changelog (ATX, setext, RST titles with
their adornments), and the versions a heading names."""

from __future__ import annotations

import re
from dataclasses import dataclass

ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
# An RST underline repeats one punctuation character; Markdown's setext uses = or -.
UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}[ \t]*$")
VERSION = re.compile(r"(?<![\w.])v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]*[0-9A-Za-z])?)(?![\w.])")
LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>")  # the URL of a link says nothing
ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")


@dataclass(frozen=True)
class Heading:
    start: int  # offset of its first line (the overline of an RST title)
    end: int  # offset after its last line (the underline)
    text: str
    level: str  # "#", "##", … or the underline character


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its ending) for every line."""
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        found.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    return found


def headings(text: str) -> list[Heading]:
    """The headings of a Markdown or reStructuredText document, outside code fences."""
    lines = _lines(text)
    found: list[Heading] = []
    fenced = False
    index = 0
    while index < len(lines):
        offset, line = lines[index]
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (atx := ATX.match(line)):
            found.append(Heading(offset, offset + len(line) + 1, atx.group(2), atx.group(1)))
        elif not fenced and line.strip() and index + 1 < len(lines):
            below = lines[index + 1][1]
            # A code fence opening below a line (a README's snippet) underlines nothing.
            mark = None if below.lstrip().startswith("```") else UNDERLINE.match(below)
            if mark and not ITEM.match(line) and len(below.rstrip()) >= min(3, len(line)):
                start = offset
                above = lines[index - 1][1] if index else ""
                if index and UNDERLINE.match(above) and above.strip()[0] == mark.group(1):
                    start = lines[index - 1][0]  # an overlined RST title
                end = lines[index + 2][0] if index + 2 < len(lines) else len(text)
                found.append(Heading(start, end, line.strip(), mark.group(1)))
                index += 2
                continue
        index += 1
    return found


def versions_in(title: str) -> set[str]:
    return set(VERSION.findall(LINK_TARGET.sub("]", title)))

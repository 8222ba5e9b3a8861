"""Text from commits made safe and small for every announcer: links only to http(s) pages,
lines and sections cut to sizes each service takes, with what was left out counted and the
link to the whole release."""

from __future__ import annotations

import re

from release.core.engine.context import Problem

# A Markdown link; its URL may hold one level of parentheses ("javascript:alert(1)").
_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
MAX_ITEM = 400  # one changelog line in a chat message; a 200 KB subject is cut here
MAX_SECTION = 60_000  # the changelog section of an e-mail


def is_web(url: str) -> bool:
    """Only http(s) links are followed: javascript:, data:, file: and the like are not."""
    return re.match(r"^https?://[^\s/]", url.strip(), re.IGNORECASE) is not None


def safe_links(markdown: str) -> str:
    """`markdown` with each link to anything but an http(s) page rendered as its plain
    text (the label of a Markdown link; an autolink's address, without the brackets)."""

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return match.group(0) if is_web(url) else label or url

    def autolink(match: re.Match[str]) -> str:
        return match.group(0) if is_web(match.group(1)) else match.group(1)

    return _AUTOLINK.sub(autolink, _LINK.sub(link, markdown))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def more(left_out: int, link: str, *, noun: str = "more") -> str:
    """The last line of a cut list: how many were left out, and where all of them are."""
    return f"… and {left_out} {noun}" + (f": {link}" if link else "")


def fit(lines: list[str], budget: int, *, link: str = "", limit: int | None = None) -> list[str]:
    """As many of `lines` (at most `limit`) as fit in `budget` characters joined by
    newlines, then a "… and N more" line naming `link` when any were left out."""
    kept: list[str] = []
    for count, line in enumerate(lines):
        after = len(lines) - count - 1
        needed = len("\n".join([*kept, line]))
        if after:
            needed += 1 + len(more(after, link))
        if (limit is not None and count >= limit) or needed > budget:
            return [*kept, clip(more(len(lines) - count, link), budget)]
        kept.append(line)
    return kept


def section(markdown: str, link: str, budget: int = MAX_SECTION) -> str:
    """A changelog section within `budget` characters, cut between lines."""
    lines = markdown.splitlines()
    if len(markdown) <= budget:
        return markdown
    return "\n".join(fit([clip(line, MAX_ITEM) for line in lines], budget, link=link))


def webhook_problem(step: str, variable: str, url: str) -> Problem | None:
    """A webhook that is not an http(s) URL (file:, data:, a path): nothing is ever sent
    to it. A warning, as every announcer's: a message never stops a release."""
    if is_web(url):
        return None
    return Problem(
        step,
        f"{variable} is not an http(s) URL: nothing will be sent to it",
        hint=f"set {variable} to the https:// URL the service gave, or unset it",
        severity="warning",
    )

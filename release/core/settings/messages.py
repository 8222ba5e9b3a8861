"""The release commit's and tag's messages: the fields their templates may name, checked when
the config is read, so a misspelt field stops `verify`, not a cut halfway."""

from __future__ import annotations

import string

# commitizen's "bump: version 4.16.5 → 4.17.0" names the release before this one, too.
MESSAGE_FIELDS = ("tag", "version", "previous_tag", "previous_version")


def check_message(key: str, template: str) -> None:
    """ValueError naming the key when `template` is no str.format template of MESSAGE_FIELDS."""
    try:
        named = [
            field for _, field, _, _ in string.Formatter().parse(template) if field is not None
        ]
    except ValueError as exc:
        raise ValueError(
            f"{key}: {template!r} is not a template ({exc}); write {{{{ for a brace"
        ) from None
    for field in named:
        if field not in MESSAGE_FIELDS:
            known = ", ".join("{" + f + "}" for f in MESSAGE_FIELDS)
            raise ValueError(f"{key}: unknown field {{{field}}} (known: {known})")


def message(template: str, tag: str, version: object, previous: tuple[str, object] | None) -> str:
    """`template` with its fields; before the first release the previous ones say "none"."""
    before_tag, before_version = previous if previous is not None else ("none", "none")
    return template.format(
        tag=tag, version=version, previous_tag=before_tag, previous_version=before_version
    )

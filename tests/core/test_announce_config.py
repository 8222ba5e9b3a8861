"""[email], [discord], [teams], [mastodon]: shapes checked at the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.settings.config import load


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[email]\nto = ["not an address"]', "is not an e-mail address"),
        ("[email]\nport = 70000", "is not a TCP port"),
        ('[mastodon]\ninstance = "fosstodon.org"', "is not a server URL"),
        ('[mastodon]\nvisibility = "everyone"', "visibility"),
        ('[teams]\nwebhook = "https://x"', "webhook"),  # secrets never live in the file
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "release.toml").write_text(text + "\n")
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    assert message in caught.value.message
    assert (caught.value.where or "").startswith(str(tmp_path / "release.toml:"))


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "release.toml").write_text('[email]\nhost = "smtp.example.org"\nto = ["a@b.org"]\n')
    email = load(tmp_path).email
    assert (email.port, email.starttls, email.sender) == (587, True, None)

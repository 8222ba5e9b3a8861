"""Credentials: the environment first, then the keyring; and the one redaction filter.

Every path that shows text to a person or writes it to disk (console, journal, exception
messages, echoed subprocess output) goes through `redact`, so a secret that was ever read
through `get` can never be printed.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections import Counter

KEYRING_SERVICE = "release-toolkit"

# Names follow what GitHub Actions users already set.
KNOWN = (
    "GITHUB_TOKEN",
    "CARGO_REGISTRY_TOKEN",
    "PYPI_API_TOKEN",
    "NPM_TOKEN",
    "TWINE_USERNAME",
    "TWINE_PASSWORD",
    "DOCKER_USERNAME",
    "DOCKER_PASSWORD",
    "GPG_PRIVATE_KEY",
    "GPG_PASSPHRASE",
    "HOMEBREW_TAP_TOKEN",
    "SLACK_WEBHOOK_URL",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "DISCORD_WEBHOOK_URL",
    "TEAMS_WEBHOOK_URL",
    "MASTODON_ACCESS_TOKEN",
)

# Names that identify rather than authenticate: shown as they are. A username is often the
# organisation's or the project's name too, and hiding it would mangle every line naming them.
IDENTITIES = frozenset({"TWINE_USERNAME", "DOCKER_USERNAME", "SMTP_USERNAME", "GITHUB_ACTOR"})


def identity(name: str) -> bool:
    """A name that identifies (a username), shown as it is; DOCKER_<HOST>_USERNAME too."""
    return name in IDENTITIES or (name.startswith("DOCKER_") and name.endswith("_USERNAME"))


# A value is hidden only when it is long and varied enough not to be an ordinary word: "demo"
# or "password" as a secret would turn every "demo" and "password" of the output into ***.
MIN_SECRET_LEN = 8
MIN_SECRET_BITS = 24.0  # Shannon information of the value, in bits: "password" has 22
_lock = threading.Lock()
_values: set[str] = set()


def redactable(value: str) -> bool:
    """Whether hiding `value` hides a secret and no ordinary word."""
    if len(value) < MIN_SECRET_LEN:
        return False
    bits = -sum(n * math.log2(n / len(value)) for n in Counter(value).values())
    return bits >= MIN_SECRET_BITS


def register(value: str) -> None:
    """Remember a value so that every later output hides it (and the Actions log, too)."""
    if redactable(value):
        from release.base import actions

        with _lock:
            if value not in _values:
                actions.mask(value)
            _values.add(value)
            # Armored keys and multi-line values are also hidden line by line.
            for line in value.splitlines():
                if len(line.strip()) >= 16 and redactable(line.strip()):
                    _values.add(line.strip())


def get(name: str, *, use_keyring: bool = True) -> str | None:
    """Read a secret: the environment wins, then the keyring. Registers it for redaction
    (a username is read the same way, and shown)."""
    value = os.environ.get(name)
    if not value and use_keyring:
        value = _from_keyring(name)
    if value and not identity(name):
        register(value)
    return value or None


def _from_keyring(name: str) -> str | None:
    try:
        import keyring  # heavy import, only when a secret is really needed
        from keyring.errors import KeyringError, NoKeyringError
    except ImportError:  # pragma: no cover - keyring is a declared dependency
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, name)
    except (NoKeyringError, KeyringError, RuntimeError):
        return None
    return str(value) if value else None


def _known(name: str) -> bool:
    return (
        name in KNOWN
        or (name.startswith("CARGO_REGISTRIES_") and name.endswith("_TOKEN"))
        or (name.startswith("DOCKER_") and name.endswith(("_USERNAME", "_PASSWORD")))
    )


def store(name: str, value: str) -> None:
    """`release login NAME`: keep a secret in the keyring for the next releases."""
    from release.base.errors import BadInput

    if not _known(name):
        raise BadInput(
            f"{name!r} is not a secret release-toolkit reads",
            hint="one of " + ", ".join(KNOWN) + ", or CARGO_REGISTRIES_<NAME>_TOKEN",
        )
    if not value:
        raise BadInput(f"no value given for {name}", hint="type or pipe the secret's value")
    if not identity(name):
        register(value)
    try:
        import keyring
        from keyring.errors import KeyringError, NoKeyringError

        keyring.set_password(KEYRING_SERVICE, name, value)
    except (NoKeyringError, KeyringError, RuntimeError) as exc:
        raise BadInput(
            f"no usable keyring to store {name}: {type(exc).__name__}",
            hint="set the variable in the environment instead (CI secrets do that)",
        ) from None


def register_known_from_env() -> None:
    """Hide every known secret present in the environment, even before a step asks for it."""
    per_registry = [n for n in os.environ if n.startswith("DOCKER_") and n.endswith("_PASSWORD")]
    for name in [*KNOWN, *per_registry]:
        value = os.environ.get(name)
        if value and not identity(name):
            register(value)


_SECRET_NAME = re.compile(
    r"TOKEN|PASSWORD|PASSPHRASE|SECRET|PRIVATE_KEY|WEBHOOK|CREDENTIAL|API_KEY", re.I
)


def withheld(name: str, value: str) -> bool:
    """Whether an environment variable stays out of a program that needs no secret (git-cliff
    runs a cliff.toml's `replace_command` and `[remote]` lookups with its environment): a
    secret we read, a registered value, or a name that says it is one."""
    if identity(name):
        return False
    with _lock:
        registered = value in _values
    agent = name in ("SSH_AUTH_SOCK", "GPG_AGENT_INFO")  # keys held by an agent
    return _known(name) or registered or agent or _SECRET_NAME.search(name) is not None


def redact(text: str) -> str:
    """Replace every registered secret in `text` by ***."""
    if not _values:
        return text
    with _lock:
        values = sorted(_values, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, "***")
    return text

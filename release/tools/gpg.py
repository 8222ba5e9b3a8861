"""gpg, run as the gpg binary: questions about keys (signing itself grows in the build stage)."""

from __future__ import annotations

from release.tools.run import run, which


def available() -> bool:
    return which("gpg") is not None


def can_sign(key: str, gnupghome: str | None = None) -> bool:
    """Is there a secret key for `key` with signing capability? Read-only."""
    args = ["gpg", "--batch", "--with-colons", "--list-secret-keys", key]
    env = {"GNUPGHOME": gnupghome} if gnupghome else None
    proc = run(args, check=False, env=env)
    if proc.returncode != 0:
        return False
    for line in proc.stdout.splitlines():
        fields = line.split(":")
        # sec/ssb records: field 2 is validity (e expired, r revoked), field 12 the capabilities.
        if fields[0] in {"sec", "ssb"} and fields[1] not in {"e", "r"} and "s" in fields[11]:
            return True
    return False

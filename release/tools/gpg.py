"""gpg: questions about keys, and detached signatures through python-gnupg.

The key comes from GPG_PRIVATE_KEY (armored; imported into a temporary GNUPGHOME of mode
0700 that is deleted afterwards, even on failure) or from a key id in the user's keyring.
The passphrase reaches gpg on a pipe (loopback pinentry), never on a command line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from release.base.errors import BadInput, ReleaseError
from release.base.secrets import redact
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


class SignError(BadInput):
    """The signing key or passphrase cannot be used; nothing was signed."""


class Signer:
    """A signing session: `with Signer(...) as signer: signer.preflight(); signer.sign(p)`."""

    def __init__(
        self, *, armored_key: str | None, key_id: str | None, passphrase: str | None
    ) -> None:
        if not armored_key and not key_id:
            raise SignError("no signing key", hint="set GPG_PRIVATE_KEY or [sign] key")
        self._armored = armored_key
        self.key_id = key_id
        self._passphrase = passphrase
        self._home: str | None = None
        self._gpg: Any = None

    def __enter__(self) -> Signer:
        import gnupg  # python-gnupg: imported only when something is signed

        home = os.environ.get("GNUPGHOME")
        if self._armored:
            self._home = tempfile.mkdtemp(prefix="release-gnupg-")
            os.chmod(self._home, 0o700)
            home = self._home
        try:
            self._gpg = gnupg.GPG(gnupghome=home)
            if self._armored:
                self.key_id = self._import(self._armored)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _import(self, armored: str) -> str:
        result = self._gpg.import_keys(armored)
        secret = [f for f in result.fingerprints if self._gpg.list_keys(True, keys=[f])]
        if not secret:
            raise SignError(
                "GPG_PRIVATE_KEY holds no private key",
                hint="export it with `gpg --armor --export-secret-keys KEYID`",
            )
        return str(secret[0])

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._home:
            with contextlib.suppress(OSError, ReleaseError):
                run(["gpgconf", "--homedir", self._home, "--kill", "gpg-agent"], check=False)
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    @property
    def home(self) -> str | None:
        """The temporary GNUPGHOME while the session is open (None with the user's keyring)."""
        return self._home

    def preflight(self) -> None:
        """Every reason the key cannot sign, found before anything is built or published."""
        key = str(self.key_id)
        secret = self._gpg.list_keys(True, keys=[key])
        if not secret:
            raise SignError(
                f"no secret key for {key!r} in the keyring",
                hint="import the private key (gpg --import), or set GPG_PRIVATE_KEY",
            )
        public = self._gpg.list_keys(keys=[key])
        info = public[0] if public else secret[0]
        now = time.time()
        if info.get("trust") == "r":
            raise SignError(f"the key {key!r} is revoked", hint="sign with a valid key")
        expires = info.get("expires")
        if info.get("trust") == "e" or (expires and float(expires) < now):
            raise SignError(
                f"the key {key!r} has expired",
                hint=f"extend it: gpg --quick-set-expire {info.get('fingerprint', key)} 1y",
            )
        if "S" not in str(info.get("cap", "")):
            raise SignError(
                f"the key {key!r} cannot sign (capabilities: {info.get('cap') or 'none'})",
                hint="use a key (or subkey) with the sign capability",
            )
        probe = self._gpg.sign(
            b"release-toolkit preflight", keyid=key, passphrase=self._passphrase, detach=True
        )
        if not probe.data:
            raise SignError(
                f"gpg could not sign with {key!r}: {self._reason(probe)}",
                hint="check GPG_PASSPHRASE (or the passphrase in your keyring)",
            )

    def sign(self, path: Path) -> Path:
        """A detached armored signature PATH.asc, verified before it is returned."""
        signature = path.with_name(path.name + ".asc")
        with path.open("rb") as handle:
            result = self._gpg.sign_file(
                handle,
                keyid=str(self.key_id),
                passphrase=self._passphrase,
                detach=True,
                output=str(signature),
            )
        if not signature.is_file() or signature.stat().st_size == 0:
            raise ReleaseError(f"gpg did not sign {path.name}: {self._reason(result)}")
        with signature.open("rb") as handle:
            verified = self._gpg.verify_file(handle, data_filename=str(path))
        if not verified.valid:
            signature.unlink(missing_ok=True)
            raise ReleaseError(f"the signature of {path.name} does not verify: {verified.status}")
        return signature

    def verify(self, path: Path, signature: Path) -> bool:
        with signature.open("rb") as handle:
            return bool(self._gpg.verify_file(handle, data_filename=str(path)).valid)

    @staticmethod
    def _reason(result: Any) -> str:
        status = str(getattr(result, "status", "") or "")
        text = str(getattr(result, "stderr", "") or "")
        lowered = f"{status}\n{text}".lower()
        if "bad_passphrase" in lowered or "bad passphrase" in lowered:
            return "bad passphrase"
        if "missing_passphrase" in lowered or "no passphrase" in lowered:
            return "missing passphrase"
        failed = [line for line in text.splitlines() if line.startswith("gpg: ")]
        return redact(status or (failed[-1].removeprefix("gpg: ") if failed else "unknown error"))

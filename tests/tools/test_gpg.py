"""Signing with throwaway keys made by the real gpg: each key failure is one clear error."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from release.tools.gpg import Signer, SignError

PASS = "correct horse battery staple"


def gpg(home: Path, *args: str, input: str | None = None) -> str:
    proc = subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", "--pinentry-mode", "loopback", *args],
        capture_output=True,
        text=True,
        check=True,
        input=input,
    )
    return proc.stdout


def fingerprint(home: Path, who: str) -> str:
    out = gpg(home, "--with-colons", "--list-keys", who)
    return next(line.split(":")[9] for line in out.splitlines() if line.startswith("fpr"))


@dataclass
class Keys:
    home: Path  # a keyring with every key below
    good: str  # ed25519 signing key, with PASS
    expired: str
    revoked: str
    encrypt_only: str

    def armored(self, fpr: str, passphrase: str = PASS) -> str:
        return gpg(self.home, "--passphrase", passphrase, "--armor", "--export-secret-keys", fpr)


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    home = tmp_path_factory.mktemp("keyring")
    home.chmod(0o700)
    gpg(
        home,
        "--passphrase",
        PASS,
        "--quick-gen-key",
        "Good <good@example.test>",
        "ed25519",
        "sign",
        "1y",
    )
    gpg(
        home,
        "--passphrase",
        PASS,
        "--faked-system-time",
        "20200101T000000!",
        "--quick-gen-key",
        "Old <old@example.test>",
        "ed25519",
        "sign",
        "1d",
    )
    gpg(
        home,
        "--passphrase",
        PASS,
        "--quick-gen-key",
        "Gone <gone@example.test>",
        "ed25519",
        "sign",
        "1y",
    )
    revoked = fingerprint(home, "gone@example.test")
    cert = (home / "openpgp-revocs.d" / f"{revoked}.rev").read_text()
    gpg(home, "--import", input=cert.replace(":-----BEGIN", "-----BEGIN"))
    gpg(
        home,
        "--passphrase",
        PASS,
        "--quick-gen-key",
        "Enc <enc@example.test>",
        "ed25519",
        "cert",
        "1y",
    )
    enc = fingerprint(home, "enc@example.test")
    gpg(home, "--passphrase", PASS, "--quick-add-key", enc, "cv25519", "encr", "1y")
    return Keys(
        home,
        fingerprint(home, "good@example.test"),
        fingerprint(home, "old@example.test"),
        revoked,
        enc,
    )


def test_sign_from_an_armored_key_and_verify_with_gpg(keys: Keys, tmp_path: Path) -> None:
    artifact = tmp_path / "app.tar.gz"
    artifact.write_bytes(b"release bytes" * 1000)
    with Signer(armored_key=keys.armored(keys.good), key_id=None, passphrase=PASS) as signer:
        home = signer.home
        assert home and (os.stat(home).st_mode & 0o777) == 0o700
        signer.preflight()
        signature = signer.sign(artifact)
    assert home and not Path(home).exists()  # the temporary GNUPGHOME is gone
    assert signature.read_text().startswith("-----BEGIN PGP SIGNATURE-----")
    verified = subprocess.run(
        ["gpg", "--homedir", str(keys.home), "--verify", str(signature), str(artifact)],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0 and "Good signature" in verified.stderr


def test_the_temporary_home_goes_away_after_an_exception(keys: Keys) -> None:
    with (
        pytest.raises(RuntimeError),
        Signer(armored_key=keys.armored(keys.good), key_id=None, passphrase=PASS) as signer,
    ):
        home = signer.home
        raise RuntimeError("boom")
    assert home and not Path(home).exists()


@pytest.mark.parametrize(
    ("key", "passphrase", "expected", "hint"),
    [
        ("good", "wrong passphrase", "could not sign", "GPG_PASSPHRASE"),
        ("expired", PASS, "has expired", "quick-set-expire"),
        ("revoked", PASS, "is revoked", "valid key"),
        ("encrypt_only", PASS, "cannot sign", "sign capability"),
    ],
)
def test_key_failures_are_found_by_preflight(
    keys: Keys, key: str, passphrase: str, expected: str, hint: str
) -> None:
    fpr = getattr(keys, key)
    signer = Signer(armored_key=keys.armored(fpr), key_id=None, passphrase=passphrase)
    with signer, pytest.raises(SignError) as err:
        signer.preflight()
    assert expected in err.value.message and hint in (err.value.hint or "")
    assert passphrase not in str(err.value) and PASS not in (err.value.hint or "")


def test_no_secret_key_in_the_users_keyring(keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GNUPGHOME", str(keys.home))
    signer = Signer(armored_key=None, key_id="nobody@example.test", passphrase=None)
    with signer, pytest.raises(SignError, match=r"no secret key for 'nobody@example\.test'"):
        signer.preflight()


def test_a_key_from_the_users_keyring(
    keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GNUPGHOME", str(keys.home))
    artifact = tmp_path / "x.whl"
    artifact.write_bytes(b"x")
    with Signer(armored_key=None, key_id=keys.good, passphrase=PASS) as signer:
        assert signer.home is None  # the user's own keyring, left where it is
        signer.preflight()
        assert signer.verify(artifact, signer.sign(artifact))


def test_malformed_private_key() -> None:
    signer = Signer(armored_key="not a key at all", key_id=None, passphrase=None)
    with pytest.raises(SignError, match="holds no private key"), signer:
        pass


def test_the_passphrase_is_not_on_the_command_line(keys: Keys, tmp_path: Path) -> None:
    """python-gnupg hands the passphrase over on stdin; gpg's argv never carries it."""
    import gnupg

    seen: list[list[str]] = []
    original = gnupg.GPG.make_args

    def spy(self: gnupg.GPG, args: list[str], passphrase: bool) -> list[str]:
        made: list[str] = original(self, args, passphrase)
        seen.append(made)
        return made

    artifact = tmp_path / "a"
    artifact.write_bytes(b"a")
    gnupg.GPG.make_args = spy  # type: ignore[method-assign]
    try:
        with Signer(armored_key=keys.armored(keys.good), key_id=None, passphrase=PASS) as signer:
            signer.preflight()
            signer.sign(artifact)
    finally:
        gnupg.GPG.make_args = original  # type: ignore[method-assign]
    assert seen and all(PASS not in " ".join(argv) for argv in seen)
    assert any("--passphrase-fd" in argv for argv in seen)


def test_the_session_stops_the_gpg_agents_its_tests_started(tmp_path: Path) -> None:
    from tests.conftest import gpg_agent_homes, stop_gpg_agents

    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    gpg(home, "--passphrase", PASS, "--quick-gen-key", "Tmp <tmp@example.test>", "ed25519")
    assert gpg_agent_homes(tmp_path) == {str(home)}  # key generation started an agent
    stop_gpg_agents(tmp_path)
    assert gpg_agent_homes(tmp_path) == set()

"""`release login` stores a secret in the keyring; the environment wins over it; values are
never echoed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from release.core import secrets
from tests.conftest import Repo, run_release

ROOT = Path(__file__).resolve().parents[2]


def keyring_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backend.FileKeyring",
        "RELEASE_TEST_KEYRING": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }


def test_login_stores_without_echo_and_get_reads_it(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = keyring_env(tmp_path)
    value = "pypi-AgEIcHlwaS5vcmc-login-test-value"
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "release"), "login", "PYPI_API_TOKEN", "--stdin"],
        input=value + "\n",
        capture_output=True,
        text=True,
        cwd=repo.path,
        env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stderr
    assert value not in proc.stdout + proc.stderr
    stored = json.loads((tmp_path / "keyring.json").read_text())
    assert stored == {"release-toolkit/PYPI_API_TOKEN": value}
    # In-process: the keyring answers when the environment does not; the environment wins.
    import keyring

    # The backend is process-wide, chosen on first use among the backends imported so far:
    # take the one later tests get before the test backend exists.
    previous = keyring.get_keyring()
    from tests.keyring_backend import FileKeyring

    for key, item in env.items():
        monkeypatch.setenv(key, item)
    keyring.set_keyring(FileKeyring())
    try:
        monkeypatch.delenv("PYPI_API_TOKEN", raising=False)
        assert secrets.get("PYPI_API_TOKEN") == value
        assert secrets.redact(f"token={value}") == "token=***"
        monkeypatch.setenv("PYPI_API_TOKEN", "from-the-environment")
        assert secrets.get("PYPI_API_TOKEN") == "from-the-environment"
    finally:
        keyring.set_keyring(previous)


def test_login_refuses_unknown_names_and_a_missing_keyring(repo: Repo, tmp_path: Path) -> None:
    unknown = run_release(repo.path, "login", "MY_TOKEN", "--stdin", env=keyring_env(tmp_path))
    assert unknown.code == 2 and "not a secret release-toolkit reads" in unknown.err
    empty = run_release(repo.path, "login", "GITHUB_TOKEN", "--stdin", env=keyring_env(tmp_path))
    assert empty.code == 2 and "no value given for GITHUB_TOKEN" in empty.err
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "release"), "login", "GITHUB_TOKEN", "--stdin"],
        input="ghp_not-stored-anywhere\n",
        capture_output=True,
        text=True,
        cwd=repo.path,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert proc.returncode == 2 and "no usable keyring" in proc.stderr
    assert "environment" in proc.stderr and "ghp_not-stored" not in proc.stderr

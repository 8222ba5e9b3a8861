"""`release login` stores a secret in the keyring; the environment wins over it; values are
never echoed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from release.base import secrets
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
    for key, item in env.items():
        monkeypatch.setenv(key, item)
    import keyring

    from tests.keyring_backend import FileKeyring

    # The keyring backend is process-wide: the tests after this one get theirs back.
    monkeypatch.setattr(keyring.core, "_keyring_backend", FileKeyring())
    monkeypatch.delenv("PYPI_API_TOKEN", raising=False)
    assert secrets.get("PYPI_API_TOKEN") == value
    assert secrets.redact(f"token={value}") == "token=***"
    monkeypatch.setenv("PYPI_API_TOKEN", "from-the-environment")
    assert secrets.get("PYPI_API_TOKEN") == "from-the-environment"


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


@pytest.fixture
def no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """A redaction filter that knows no value yet (it is process-wide)."""
    monkeypatch.setattr(secrets, "_values", set())
    for name in secrets.KNOWN:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_secrets")
def test_usernames_are_shown_and_passwords_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's TWINE_USERNAME=demo once turned every "demo" of the output into ***."""
    monkeypatch.setenv("TWINE_USERNAME", "demo")
    monkeypatch.setenv("TWINE_PASSWORD", "demo-upload-password")
    monkeypatch.setenv("DOCKER_USERNAME", "acme-release-bot")  # also the organisation's name
    secrets.register_known_from_env()
    assert secrets.get("TWINE_USERNAME") == "demo"
    assert secrets.get("DOCKER_USERNAME") == "acme-release-bot"
    text = "point 127.0.0.1:5000/acme-release-bot/demo:{1.2.0}; twine -p demo-upload-password"
    assert secrets.redact(text) == (
        "point 127.0.0.1:5000/acme-release-bot/demo:{1.2.0}; twine -p ***"
    )


@pytest.mark.usefixtures("no_secrets")
@pytest.mark.parametrize(
    ("value", "hidden"),
    [
        ("demo", False),  # short: it would hide ordinary words
        ("hunter2", False),
        ("password", False),  # 8 letters but little variety: 22 bits
        ("a" * 40, False),
        ("s3cr3t-Pw", True),
        ("correct horse battery staple", True),
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", True),
    ],
)
def test_a_value_is_hidden_only_where_it_hides_no_ordinary_word(value: str, hidden: bool) -> None:
    secrets.register(value)
    assert (secrets.redact(f"before {value} after") == "before *** after") is hidden
    assert secrets.redactable(value) is hidden


def test_what_git_cliff_is_not_given() -> None:
    """git-cliff (and a cliff.toml's replace_command) runs without any of these."""
    from release.base.secrets import register, withheld

    register("a-registered-value-9f8e7d")
    for name, value in [
        ("GITHUB_TOKEN", "x"),
        ("CARGO_REGISTRIES_LOCAL_TOKEN", "x"),
        ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://x"),
        ("MY_DEPLOY_PASSWORD", "x"),
        ("SSH_AUTH_SOCK", "/tmp/agent"),
        ("ANYTHING", "a-registered-value-9f8e7d"),
    ]:
        assert withheld(name, value), name
    for name in ("PATH", "HOME", "GIT_AUTHOR_NAME", "TWINE_USERNAME", "LANG"):
        assert not withheld(name, "/usr/bin"), name

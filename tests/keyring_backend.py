"""A keyring backend in a JSON file (RELEASE_TEST_KEYRING), for tests: the real `keyring`
library loads it by name from PYTHON_KEYRING_BACKEND, as it loads any third-party backend."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        # Importing the class registers it with keyring, which then prefers it everywhere in
        # the process: it is a candidate only while a test names its file.
        if "RELEASE_TEST_KEYRING" not in os.environ:
            raise RuntimeError("RELEASE_TEST_KEYRING is not set")
        return 1

    def _path(self) -> Path:
        return Path(os.environ["RELEASE_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text()) if path.is_file() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        data.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(data))

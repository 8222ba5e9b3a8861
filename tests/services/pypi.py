"""A real PyPI-compatible index on 127.0.0.1: pypiserver, started and stopped by the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PypiServer:
    port: int
    packages: Path  # the folder pypiserver serves and uploads into

    @property
    def url(self) -> str:
        """Where twine uploads."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/simple/"

    def files(self) -> list[str]:
        return sorted(p.name for p in self.packages.iterdir())


def start_pypi(packages: Path) -> tuple[subprocess.Popen[bytes], PypiServer]:
    """pypiserver on a free loopback port serving (and uploading into) `packages`, without
    authentication (`-a . -P .`), so any twine credentials are accepted; waits until it
    answers."""
    port = free_port()
    server = PypiServer(port, packages)
    binary = Path(sys.executable).parent / "pypi-server"
    proc = subprocess.Popen(
        [
            str(binary),
            "run",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-a",
            ".",
            "-P",
            ".",
            str(packages),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(server.simple_url, timeout=1).close()
            return proc, server
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise RuntimeError("pypiserver did not start") from None
            time.sleep(0.1)


@pytest.fixture(scope="module")
def pypi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PypiServer]:
    proc, server = start_pypi(tmp_path_factory.mktemp("pypi-packages"))
    try:
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)

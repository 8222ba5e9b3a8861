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


def listens(pid: int, port: int) -> bool:
    """True when process `pid` holds the listening TCP socket on 127.0.0.1:`port` (so the
    answer came from it, not from another test run's service on a port that was reused)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A":  # 127.0.0.1, LISTEN
            inodes.add(f"socket:[{fields[9]}]")
    try:
        return any(fd.readlink().as_posix() in inodes for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False  # it has ended


def start_pypi(packages: Path) -> tuple[subprocess.Popen[bytes], PypiServer]:
    """pypiserver on a free loopback port serving (and uploading into) `packages`, without
    authentication (`-a . -P .`), so any twine credentials are accepted; waits until it
    answers. free_port() can race with another process (parallel workers): a server that
    could not bind its port is started again on another."""
    for _attempt in range(3):
        started = _launch_pypi(packages)
        if started is not None:
            return started
    raise RuntimeError("pypiserver did not start")


def _launch_pypi(packages: Path) -> tuple[subprocess.Popen[bytes], PypiServer] | None:
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
            if listens(proc.pid, port):
                return proc, server
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.terminate()
            proc.wait()
            return None
        time.sleep(0.1)


@pytest.fixture(scope="module")
def pypi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PypiServer]:
    proc, server = start_pypi(tmp_path_factory.mktemp("pypi-packages"))
    try:
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)

"""Start the loopback services the demo publishes to, write where they listen to a JSON file,
and serve until terminated. Used by scripts/demo; the same servers the tests use."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.services.crate_registry import CrateRegistry
from tests.services.pypi import free_port


def start_pypi(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """pypiserver without authentication, serving `folder`."""
    port = free_port()
    binary = Path(sys.executable).parent / "pypi-server"
    proc = subprocess.Popen(
        [str(binary), "run", "-i", "127.0.0.1", "-p", str(port), "-a", ".", "-P", ".", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "simple/", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("pypiserver did not start")


def main() -> None:
    state = Path(sys.argv[1])
    registry = CrateRegistry().start()
    packages = state.parent / "pypi-packages"
    packages.mkdir(exist_ok=True)
    pypi, pypi_url = start_pypi(packages)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    info = {
        "crates": {
            "name": registry.name,
            "index": registry.index_url,
            "env": registry.env,
            "cargo_config": registry.cargo_config_text(),
        },
        "pypi": {"url": pypi_url, "simple": pypi_url + "simple/", "folder": str(packages)},
    }
    state.write_text(json.dumps(info))
    try:
        stop.wait()
    finally:
        print(json.dumps({"published": registry.log.versions()}), flush=True)
        registry.stop()
        pypi.terminate()
        pypi.wait(timeout=10)


if __name__ == "__main__":
    main()

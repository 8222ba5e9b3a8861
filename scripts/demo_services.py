"""Start the loopback services the demo publishes to, write where they listen to a JSON file,
and serve until terminated. Used by scripts/demo; the same servers the tests use."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.services.crate_registry import CrateRegistry


def main() -> None:
    state = Path(sys.argv[1])
    registry = CrateRegistry().start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    info = {
        "crates": {
            "name": registry.name,
            "index": registry.index_url,
            "env": registry.env,
            "cargo_config": registry.cargo_config_text(),
        }
    }
    state.write_text(json.dumps(info))
    try:
        stop.wait()
    finally:
        print(json.dumps({"published": registry.log.versions()}), flush=True)
        registry.stop()


if __name__ == "__main__":
    main()

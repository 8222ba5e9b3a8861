"""npm, for packing and publishing. A token travels in the environment and reaches npm
through a temporary userconfig that names it (`${NPM_TOKEN}`), never in argv or on disk."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from release.base.errors import ReleaseError
from release.tools.run import run

# npm's chatter (update notices, funding, audit) off: quiet, and no request outside the registry.
_QUIET = {
    "NO_COLOR": "1",
    "npm_config_update_notifier": "false",
    "npm_config_fund": "false",
    "npm_config_audit": "false",
    "npm_config_loglevel": "error",
    # Our publisher retries, asking the registry first whether a lost answer's publish went
    # through; npm's own re-sends (minutes of back-off on a 5xx) would only hide that.
    "npm_config_fetch_retries": "0",
}


@dataclass(frozen=True)
class Packed:
    name: str
    version: str
    filename: str  # in the pack destination
    integrity: str  # "sha512-<base64>", as the registry's packument states it


def auth_line(registry: str) -> str:
    """The userconfig line that gives NPM_TOKEN to this registry, and only to it."""
    parts = urlsplit(registry)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"//{parts.netloc}{path}:_authToken=${{NPM_TOKEN}}\n"


def quiet() -> dict[str, str]:
    """npm's environment where no credential is needed (packing)."""
    return dict(_QUIET)


@contextmanager
def session(registry: str, token: str | None) -> Iterator[dict[str, str]]:
    """The environment npm runs in: with a token, a userconfig of our own that reads it from
    NPM_TOKEN; without one, the user's own ~/.npmrc (or npm's OIDC exchange in CI)."""
    env = dict(_QUIET)
    if token is None:
        yield env
        return
    with tempfile.TemporaryDirectory(prefix="release-npm-") as folder:
        userconfig = Path(folder) / "npmrc"
        userconfig.write_text(auth_line(registry), encoding="utf-8")
        userconfig.chmod(0o600)
        yield {**env, "npm_config_userconfig": str(userconfig), "NPM_TOKEN": token}


def _packed(stdout: str, what: str) -> list[Packed]:
    start = stdout.find("[")  # a lifecycle script may print before the JSON
    try:
        entries = json.loads(stdout[start:]) if start >= 0 else None
    except ValueError:
        entries = None
    if not isinstance(entries, list):
        raise ReleaseError(f"{what} printed no package list", detail=stdout[-2000:])
    return [Packed(e["name"], e["version"], e["filename"], e["integrity"]) for e in entries]


def pack(
    folders: list[Path], destination: Path, env: dict[str, str], *, scripts: bool = True
) -> list[Packed]:
    """`npm pack` of package folders into `destination`, in one run of npm (one start of
    node, not one per package), in the order given."""
    if not folders:
        return []
    args = ["npm", "pack", "--json", "--pack-destination", str(destination)]
    args += [] if scripts else ["--ignore-scripts"]
    proc = run([*args, *(str(f.resolve()) for f in folders)], env=env, what="npm pack")
    packed = _packed(proc.stdout, "npm pack")
    if len(packed) != len(folders):
        raise ReleaseError(f"npm pack packed {len(packed)} of {len(folders)} packages")
    return packed


def publish(
    tarball: Path,
    *,
    registry: str,
    tag: str,
    access: str,
    provenance: bool,
    env: dict[str, str],
) -> None:
    args = ["npm", "publish", str(tarball), "--registry", registry, "--tag", tag]
    args += ["--access", access, "--ignore-scripts"]
    # Explicit either way: npm turns provenance on by itself after a trusted-publishing
    # exchange for a public repository, and that needs Sigstore.
    args.append("--provenance" if provenance else "--provenance=false")
    run(args, cwd=tarball.parent, env=env, what=f"npm publish {tarball.name}")


def whoami(registry: str, env: dict[str, str]) -> str:
    proc = run(["npm", "whoami", "--registry", registry], env=env, what="npm whoami")
    return proc.stdout.strip()


def version() -> str:
    return run(["npm", "--version"], env=_QUIET).stdout.strip()

"""skopeo, for copying an image with its layers from one registry to another.

Why skopeo rather than more of remote/oci.py: a copy across registries moves every blob of
every platform (chunked uploads, cross-repository mounts where a registry allows them, resumed
transfers, retries) and containers/image does all of that, for every manifest format, and
with `--preserve-digests` refuses to convert anything that would change the digest.
Credentials go through a private, temporary auth file, never on the command line.
"""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from release.tools.run import run, which


def available() -> bool:
    return which("skopeo") is not None


def copy(
    source: str,
    destination: str,
    *,
    credentials: Mapping[str, tuple[str | None, str | None]],
    insecure: bool = False,
) -> None:
    """`skopeo copy --all --preserve-digests docker://SOURCE docker://DESTINATION`: every
    platform of an index, byte for byte. `credentials` maps a registry host to its pair."""
    auths = {
        host: {"auth": base64.b64encode(f"{user}:{password}".encode()).decode()}
        for host, (user, password) in credentials.items()
        if user and password
    }
    with tempfile.TemporaryDirectory(prefix="release-skopeo-") as home:
        authfile = Path(home) / "auth.json"
        authfile.write_text(json.dumps({"auths": auths}))
        authfile.chmod(0o600)
        command = ["skopeo", "copy", "--all", "--preserve-digests", "--retry-times", "3"]
        command += ["--authfile", str(authfile)]
        if insecure:
            command += ["--src-tls-verify=false", "--dest-tls-verify=false"]
        command += [f"docker://{source}", f"docker://{destination}"]
        run(command, what="skopeo copy", env={"HOME": home})

"""One file to the package index, retried on transient failures. twine re-sends an upload
answered 5xx at once (up to 5 times), but gives up on a connection reset or a timeout; those,
and 5xx beyond twine's patience, are retried here after a pause, asking the index first
whether the file arrived after all (an answer lost on the way back). An index that says the
file exists (twine's re-send of a stored file) is asked too: our sha256 there is success."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from release.base.errors import ReleaseError, ToolError
from release.core.engine.artifacts import Artifact
from release.core.settings.config import PypiConfig
from release.tools import twine

ATTEMPTS = 4
BACKOFF = 1.0  # seconds before the first retry; doubled each time, with jitter, up to 30
_TRANSIENT = re.compile(
    r"HTTPError: 5\d\d |ConnectionError|Connection (aborted|reset)|RemoteDisconnected|"
    r"timed out|Timeout",
    re.IGNORECASE,
)
# The index refused the credentials: no retry helps.
_DENIED = re.compile(r"HTTPError: (401|403) ", re.IGNORECASE)
DENIED_HINT = (
    "the index refused the credentials: set PYPI_API_TOKEN (or TWINE_USERNAME and "
    "TWINE_PASSWORD) to a token that may upload this project"
)
# What an index answers a file it has: PyPI "400 File already exists", others 409.
_REFUSED = re.compile(r"HTTPError: (400|409) ", re.IGNORECASE)
# twine re-sent the upload after a 5xx: the first send may have stored the file.
_RESENT = re.compile(r"already exists|appears to have failed\. Retry", re.IGNORECASE)


def _text(exc: ToolError) -> str:
    return f"{exc.message}\n{exc.detail or ''}"


def transient(exc: ToolError) -> bool:
    return bool(_TRANSIENT.search(_text(exc)))


def upload(
    file: Path,
    artifact: Artifact,
    config: PypiConfig,
    *,
    credentials: Callable[[], dict[str, str]],
    already_there: Callable[[Artifact], str | None],
) -> None:
    for attempt in range(1, ATTEMPTS + 1):
        try:  # the credentials are asked each time: a trusted-publishing token stays fresh
            twine.upload(file, repository_url=config.repository_url, credentials=credentials())
            return
        except ToolError as exc:
            if _DENIED.search(_text(exc)):  # permanent: the hint names what to fix
                raise ToolError(exc.message, hint=DENIED_HINT, detail=exc.detail) from None
            if _REFUSED.search(_text(exc)):
                # The step saw no such file before uploading: if the index has it now, an
                # earlier send stored it (its listing may lag behind the upload a little).
                patience = 10.0 if _RESENT.search(_text(exc)) else 0.0
                if _listed(artifact, already_there, patience) is None:
                    raise
                _same_or_raise(file, artifact, already_there, patience=0.0)
                return
            if not transient(exc) or attempt == ATTEMPTS:
                raise
        time.sleep(min(30.0, BACKOFF * 2 ** (attempt - 1) * random.uniform(0.5, 1.0)))
        if already_there(artifact) is not None:
            _same_or_raise(file, artifact, already_there, patience=0.0)
            return  # it went through; only the answer was lost


def _listed(
    artifact: Artifact, already_there: Callable[[Artifact], str | None], patience: float
) -> str | None:
    deadline = time.monotonic() + patience
    there = already_there(artifact)
    while there is None and time.monotonic() < deadline:
        time.sleep(0.5)
        there = already_there(artifact)
    return there


def _same_or_raise(
    file: Path,
    artifact: Artifact,
    already_there: Callable[[Artifact], str | None],
    *,
    patience: float,
) -> None:
    there = _listed(artifact, already_there, patience)
    if there == artifact.sha256:
        return
    raise ReleaseError(
        f"{file.name} is on the index with other content after a failed upload "
        f"(sha256 {(there or 'unknown')[:12]}…, ours {artifact.sha256[:12]}…)"
        if there
        else f"the index refuses {file.name} as existing but does not list it",
        hint="a file name can never be reused on PyPI: release a new version",
    )

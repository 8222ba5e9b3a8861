"""The GitHub API through PyGithub: one client with bounded retries, errors that name
GITHUB_TOKEN and the permission involved, and the repository found from the git remote."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from release.base import secrets
from release.base.errors import ReleaseError

if TYPE_CHECKING:
    from github.GitRelease import GitRelease
    from github.GitReleaseAsset import GitReleaseAsset
    from github.Repository import Repository

_REMOTE = re.compile(
    r"^(?:https?://(?:[^@/]+@)?|ssh://git@|git@)([^/:]+)[/:]([^/]+)/([^/]+?)(?:\.git)?/?$"
)
MAX_BODY = 125_000  # GitHub refuses longer release notes


def repository_from_remote(url: str | None, web_url: str) -> str | None:
    """`owner/name` when the remote is on the GitHub at `web_url`."""
    if not url:
        return None
    match = _REMOTE.match(url.strip())
    host = re.sub(r"^https?://", "", web_url).rstrip("/")
    if not match or match.group(1).lower() != host.lower():
        return None
    return f"{match.group(2)}/{match.group(3)}"


def token() -> str | None:
    return secrets.get("GITHUB_TOKEN")


def translate(exc: Exception, what: str) -> ReleaseError:
    """A PyGithub or network exception as one line and a hint; secrets redacted."""
    from github import GithubException

    if isinstance(exc, GithubException):
        status = exc.status
        data: Any = exc.data
        message = data.get("message", "") if isinstance(data, dict) else str(data or "")
        errors = data.get("errors") if isinstance(data, dict) else None
        if errors:
            message += " " + "; ".join(
                str(e.get("code") or e.get("message") or e) if isinstance(e, dict) else str(e)
                for e in errors
            )
        hints = {
            401: "GITHUB_TOKEN was not accepted: set a valid token",
            403: "GITHUB_TOKEN lacks permission: it needs `contents: write` on the repository",
            404: "check [github] repository and that GITHUB_TOKEN can see it",
            422: "GitHub rejected the request as invalid; see its words above",
        }
        hint = hints.get(status, "GitHub may be down or rate-limiting: try again later")
        return ReleaseError(
            secrets.redact(f"GitHub refused to {what} (HTTP {status}): {message.strip()}"),
            hint=hint,
        )
    return ReleaseError(
        secrets.redact(f"could not reach GitHub to {what}: {type(exc).__name__}: {exc}"),
        hint="check the network and [github] api_url",
    )


def client(api_url: str, write_interval: float, *, retries: int = 5) -> Any:
    from github import Auth, Github, GithubRetry

    found = token()
    if not found:
        raise ReleaseError(
            "no GitHub token", hint="set GITHUB_TOKEN, or `release login GITHUB_TOKEN`"
        )
    # PyGithub's own retry also waits out a 403 that is a (secondary) rate limit, by its
    # Retry-After or its reset time, and lets every other 403 through at once. Writes (POST)
    # are not retried here: an upload is re-checked against the release instead.
    retry = GithubRetry(
        total=retries,
        backoff_factor=0.5,
        status_forcelist=[429, 500, 502, 503, 504],
        allowed_methods=frozenset({"GET", "HEAD", "PATCH", "DELETE"}),
        respect_retry_after_header=True,
        raise_on_status=False,
        max_rate_limit_wait=300,  # longer than that: say so rather than hang the release
    )
    return Github(
        base_url=api_url.rstrip("/"),
        auth=Auth.Token(found),
        retry=retry,
        timeout=60,
        seconds_between_requests=None,
        seconds_between_writes=write_interval or None,
    )


def find_release(repo: Repository, tag: str) -> GitRelease | None:
    """The release of `tag`, drafts included (GitHub's by-tag lookup skips drafts)."""
    from github import GithubException

    try:
        return repo.get_release(tag)
    except GithubException as exc:
        if exc.status != 404:
            raise
    for release in repo.get_releases():
        if release.tag_name == tag:
            return release
    return None


def asset_sha256(asset: GitReleaseAsset) -> str:
    """The asset's sha256: GitHub's `digest` field, else hashed from a download."""
    digest = asset.digest
    if isinstance(digest, str) and digest.startswith("sha256:"):
        return digest.removeprefix("sha256:")
    streamed = asset.download_asset(chunk_size=1 << 20)
    assert streamed is not None
    _, _, chunks = streamed
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(chunk)
    return hasher.hexdigest()


def content_type(path: Path) -> str:
    name = path.name
    for suffix, kind in (
        (".tar.gz", "application/gzip"),
        (".zip", "application/zip"),
        (".whl", "application/zip"),
        (".asc", "application/pgp-signature"),
        (".json", "application/json"),
    ):
        if name.endswith(suffix):
            return kind
    return "application/octet-stream"

"""HTTP for every publisher: one client, retries for what is transient, a clear error for
what is not.

Transient (5xx, 429, connection reset or dropped, timeouts) is retried with exponential
backoff and full jitter, honouring Retry-After, bounded both in attempts and in total time.
Permanent (401/403, 404 on something that must exist, 400/422 validation) fails at once with
a hint naming the secret or permission involved. Tokens travel in headers, never in URLs,
and every message goes through the redaction filter.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from release.base.errors import ReleaseError
from release.base.secrets import redact

if TYPE_CHECKING:  # imported where a request is sent: `release verify` may send none
    import httpx

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


class HttpError(ReleaseError):
    """An HTTP request failed for good (after retries, or at once when permanent)."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        status: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(
            redact(message),
            redact(hint) if hint else None,
            detail=redact(detail) if detail else None,
        )
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # including the first
    base_delay: float = 0.5  # seconds; doubles each retry, full jitter
    max_delay: float = 30.0  # one wait, Retry-After included
    deadline: float = 120.0  # all attempts of one request together


# Read-only checks (verify, preflight) give up sooner: a person is waiting for the plan.
PREFLIGHT = RetryPolicy(attempts=3, base_delay=0.25, max_delay=5.0, deadline=10.0)


@dataclass
class Service:
    """Who we talk to, for messages: "crates.io", and the secret that authenticates us."""

    name: str
    secret: str | None = None  # e.g. CARGO_REGISTRY_TOKEN


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Http:
    def __init__(
        self,
        service: Service,
        *,
        headers: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        import httpx

        self.client = httpx.Client(headers=dict(headers or {}), timeout=timeout)
        self.retries = 0  # how many retries this client made, for reports and tests

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self, method: str, url: str, *, expect: Iterable[int] = (), **kwargs: Any
    ) -> httpx.Response:
        """Send, retrying what is transient. Returns 2xx/3xx answers and those in `expect`
        (e.g. 404 for "not published yet"); raises HttpError for the rest."""
        import httpx

        expected = set(expect)
        started = time.monotonic()
        policy = self.policy
        last: str = ""
        for attempt in range(1, policy.attempts + 1):
            wait: float | None = None
            try:
                response = self.client.request(method, url, **kwargs)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            except (httpx.TransportError, httpx.InvalidURL) as exc:  # a bad URL: never retried
                where = f" in {self.service.secret}" if self.service.secret else ""
                raise HttpError(
                    f"cannot send {method} {_path(url)} to {self.service.name}: {exc}",
                    hint=f"check the URL{where}",
                ) from None
            else:
                if response.status_code < 400 or response.status_code in expected:
                    return response
                if response.status_code not in TRANSIENT_STATUS:
                    raise self._permanent(method, url, response)
                last = f"HTTP {response.status_code}"
                wait = retry_after(response)
            if attempt == policy.attempts:
                break
            delay = (
                wait
                if wait is not None
                else random.uniform(0, policy.base_delay * 2 ** (attempt - 1))
            )
            delay = min(delay, policy.max_delay)
            if time.monotonic() - started + delay > policy.deadline:
                break
            self.retries += 1
            self._sleep(delay)
        # No `release resume` here: in verify nothing has started, and a cut that fails adds
        # it to its own message when parts of the release are already public.
        unreachable = not last.startswith("HTTP ")
        raise HttpError(
            f"{self.service.name} did not answer {method} {_path(url)} after "
            f"{attempt} attempt(s): {last}",
            hint="check the URL in the release config and the network"
            if unreachable
            else f"{self.service.name} is down or rate-limiting: try again later",
        )

    def _permanent(self, method: str, url: str, response: httpx.Response) -> HttpError:
        status = response.status_code
        what = f"{self.service.name} refused {method} {_path(url)} (HTTP {status})"
        secret = self.service.secret
        if status == 401:
            hint = f"the token was not accepted: check {secret}" if secret else "log in first"
        elif status == 403:
            hint = (
                f"the token in {secret} lacks the permission for this"
                if secret
                else "this account may not do that"
            )
        elif status == 404:
            hint = "check the name, the URL and that the token can see it"
        elif status in (400, 409, 422):
            hint = "the request was rejected as invalid; the server's words are below"
        else:
            hint = None
        return HttpError(what, hint, status=status, detail=_excerpt(response))


def _path(url: str) -> str:
    """The URL without its query string (which may carry a token in some APIs)."""
    return url.split("?", 1)[0]


def _excerpt(response: httpx.Response) -> str:
    text = response.text.strip()
    return text[:500] + ("…" if len(text) > 500 else "")

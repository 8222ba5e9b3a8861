"""Fault injection for the loopback services in tests/services.

A service asks its `Faults` object about every request before serving it (`decide`), or,
when it is built on `http.server`, calls `answer_fault(handler, faults)` first and stops
when that returns True. Tests add rules:

    faults.fail("/api/v1/crates/new", status=429, nth=2, retry_after=1)  # 2nd publish: 429
    faults.fail(r"^/index/", status=500, nth=3)       # 3rd index read: 500
    faults.drop("/api/v1/crates/new")                 # 1st publish: closed without an answer
    faults.drop("/download$", reset=True)             # 1st download: connection reset (RST)
    faults.slow("/index/", seconds=0.5)               # every index read: 0.5 s late

A rule matches an optional HTTP method and a regular expression searched in the request
path (the query string is not part of it). Each rule counts the requests it matches; it
fires on its `nth` match and on the `times - 1` matches after that (`times=None`: on every
match from the nth on). `slow` rules add their delay and let the request go on; the first
firing `fail` or `drop` rule answers it. Every request is recorded in `requests`, with the
fault done to it, so tests can count calls and see what the client went through.

All methods are thread-safe: the services answer from one thread per connection.
"""

from __future__ import annotations

import os
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Literal
from urllib.parse import urlsplit

FaultKind = Literal["status", "drop", "slow"]

# Request bodies read and thrown away before a fault answers (so the client sees the answer
# rather than a reset); larger bodies are not read and the connection is closed.
MAX_DRAIN = 64 * 1024 * 1024


@dataclass
class Rule:
    """One fault: what it matches, when it fires, what it does. Counters are live."""

    kind: FaultKind
    pattern: re.Pattern[str]
    method: str | None
    nth: int
    times: int | None
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    seconds: float = 0.0
    reset: bool = False
    matched: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.pattern.search(path) is not None

    def step(self) -> bool:
        """Count one matching request; True when the rule fires on it."""
        self.matched += 1
        if self.matched < self.nth:
            return False
        if self.times is not None and self.matched >= self.nth + self.times:
            return False
        self.fired += 1
        return True


@dataclass(frozen=True)
class Decision:
    """What a service must do with one request."""

    delay: float = 0.0
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    drop: bool = False
    reset: bool = False

    @property
    def answers(self) -> bool:
        """True when the fault answers the request instead of the service."""
        return self.drop or self.status is not None


@dataclass(frozen=True)
class Seen:
    """One request as a service received it, and the faults done to it."""

    method: str
    path: str
    time: float
    faults: tuple[FaultKind, ...] = ()


class Faults:
    """Thread-safe fault rules and request log for one service."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self._seen: list[Seen] = []

    # -- rules ---------------------------------------------------------------------------

    def fail(
        self,
        path: str = "",
        *,
        status: int = 500,
        nth: int = 1,
        times: int | None = 1,
        method: str | None = None,
        retry_after: int | str | None = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Rule:
        """Answer `status` (with `Retry-After` when given) instead of serving the request."""
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = str(retry_after)
        return self._add(Rule("status", re.compile(path), method, nth, times, status, extra, body))

    def rate_limit(
        self,
        path: str = "",
        *,
        nth: int = 1,
        times: int | None = 1,
        method: str | None = None,
        retry_after: int | str = 1,
    ) -> Rule:
        """Answer 429 Too Many Requests with `Retry-After`."""
        return self.fail(
            path, status=429, nth=nth, times=times, method=method, retry_after=retry_after
        )

    def drop(
        self,
        path: str = "",
        *,
        nth: int = 1,
        times: int | None = 1,
        method: str | None = None,
        reset: bool = False,
    ) -> Rule:
        """Close the connection without answering: an orderly close (the client reads an
        empty reply, curl's error 52), or with `reset` a TCP reset (curl's error 56, which
        cargo counts as a spurious network error and retries)."""
        return self._add(Rule("drop", re.compile(path), method, nth, times, reset=reset))

    def slow(
        self,
        path: str = "",
        *,
        seconds: float,
        nth: int = 1,
        times: int | None = None,
        method: str | None = None,
    ) -> Rule:
        """Wait `seconds` before serving (or failing) the request."""
        return self._add(Rule("slow", re.compile(path), method, nth, times, seconds=seconds))

    def remove(self, rule: Rule) -> None:
        with self._lock:
            if rule in self._rules:
                self._rules.remove(rule)

    def clear(self) -> None:
        """Remove every rule (the request log stays)."""
        with self._lock:
            self._rules.clear()

    def reset(self) -> None:
        """Remove every rule and forget the requests seen."""
        with self._lock:
            self._rules.clear()
            self._seen.clear()

    @property
    def rules(self) -> list[Rule]:
        with self._lock:
            return list(self._rules)

    def _add(self, rule: Rule) -> Rule:
        if rule.nth < 1:
            raise ValueError("nth counts from 1")
        if rule.times is not None and rule.times < 1:
            raise ValueError("times must be at least 1 (or None for always)")
        with self._lock:
            self._rules.append(rule)
        return rule

    # -- the service side ----------------------------------------------------------------

    def decide(self, method: str, path: str) -> Decision:
        """Record one request and say what to do with it. `path` excludes the query."""
        delay = 0.0
        answer: Rule | None = None
        done: list[FaultKind] = []
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                if rule.kind == "slow":
                    if rule.step():
                        delay += rule.seconds
                        done.append("slow")
                elif answer is None and rule.step():
                    answer = rule
                    done.append(rule.kind)
            self._seen.append(Seen(method.upper(), path, time.time(), tuple(done)))
        if answer is None:
            return Decision(delay=delay)
        if answer.kind == "drop":
            return Decision(delay=delay, drop=True, reset=answer.reset)
        return Decision(
            delay=delay, status=answer.status, headers=dict(answer.headers), body=answer.body
        )

    @property
    def requests(self) -> list[Seen]:
        with self._lock:
            return list(self._seen)

    def count(self, path: str = "", *, method: str | None = None) -> int:
        """How many requests whose path matches the regular expression `path` were seen."""
        pattern = re.compile(path)
        with self._lock:
            return sum(
                1
                for seen in self._seen
                if pattern.search(seen.path) and (method is None or seen.method == method.upper())
            )


ErrorBody = Callable[[int, str], tuple[bytes, str]]


def plain_error(status: int, message: str) -> tuple[bytes, str]:
    return f"{status} {message}\n".encode(), "text/plain; charset=utf-8"


def answer_fault(
    handler: BaseHTTPRequestHandler, faults: Faults, *, error_body: ErrorBody = plain_error
) -> bool:
    """Apply `faults` to the request `handler` is serving; True when a fault answered it.

    Call it first thing in `do_GET`/`do_PUT`/...; when it returns True, return at once.
    `error_body(status, reason)` renders the body of injected error answers in the
    service's own error format (a rule's explicit `body` wins).
    """
    decision = faults.decide(handler.command, urlsplit(handler.path).path)
    if decision.delay:
        time.sleep(decision.delay)
    if not decision.answers:
        return False
    _drain(handler)
    handler.close_connection = True
    if decision.drop:
        sock = handler.connection
        try:
            if decision.reset:
                # Linger 0 makes close() abortive. Close the descriptor now (detach, so that
                # the handler's open file objects cannot keep it alive and let a FIN out).
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                os.close(sock.detach())
            else:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True
    status = decision.status or 500
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Injected fault"
    if decision.body is not None:
        body, ctype = decision.body, "application/octet-stream"
    else:
        body, ctype = error_body(status, f"injected fault: {reason}")
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Connection", "close")
    for key, value in decision.headers.items():
        handler.send_header(key, value)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)
    return True


def _drain(handler: BaseHTTPRequestHandler) -> None:
    """Read and discard the request body, so that closing does not reset the connection."""
    try:
        length = int(handler.headers.get("Content-Length") or 0)
    except ValueError:
        return
    if 0 < length <= MAX_DRAIN:
        remaining = length
        while remaining:
            chunk = handler.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)

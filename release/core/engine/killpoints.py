"""Named points where a test can SIGKILL a cut, to prove that `release resume` finishes it.

Set RELEASE_TEST_KILL_AT to a comma-separated list such as `after:bump,before:push`.
Nothing happens when the variable is unset, which is always the case outside the tests.
"""

from __future__ import annotations

import os
import signal


def reached(point: str) -> None:
    wanted = os.environ.get("RELEASE_TEST_KILL_AT")
    if wanted and point in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)

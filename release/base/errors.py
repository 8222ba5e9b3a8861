"""The one exception family of the toolkit: a message, a hint, and the exit code it maps to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes are part of the interface; scripts and CI branch on them."""

    OK = 0
    STEP_FAILED = 1  # a step failed during a cut; the journal is kept
    BAD_INPUT = 2  # usage, config, version: nothing was changed
    PROBLEMS = 3  # verify found problems


class ReleaseError(Exception):
    """Base class: every error the user can see is one of these."""

    exit_code: ExitCode = ExitCode.STEP_FAILED

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        where: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where  # "file:line" when the error points into a file
        self.detail = detail  # the tail of a tool's output, shown under the message

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return prefix + self.message


class BadInput(ReleaseError):
    """The user gave us something we cannot use; nothing has been changed."""

    exit_code = ExitCode.BAD_INPUT


class ConfigError(BadInput):
    """release-toolkit.toml (release.toml, [tool.release]) or cliff.toml is malformed or invalid."""


class VersionError(BadInput):
    """A version argument or a version found in the repository breaks a rule."""


class RepositoryError(BadInput):
    """The git repository is not in a state a release can start from."""


class ToolError(ReleaseError):
    """An external program is missing or failed."""


class StepFailed(ReleaseError):
    """A step failed while a cut was running."""

    exit_code = ExitCode.STEP_FAILED

"""Git against the Homebrew tap: the token through a credential helper (never argv), and a
look at the tap's branches before anything is cloned, so that an empty tap or a missing
branch is named as such rather than as git's "Remote branch main not found"."""

from __future__ import annotations

from pathlib import Path

from release.core import secrets
from release.core.errors import ReleaseError
from release.tools.run import Completed, run

TOKEN = "HOMEBREW_TAP_TOKEN"
# The token reaches git through a credential helper that reads the environment: never argv.
_HELPER = '!f() { echo username=x-access-token; echo "password=$HOMEBREW_TAP_TOKEN"; }; f'


def git(args: list[str], cwd: Path | None = None, what: str | None = None) -> Completed:
    token = secrets.get(TOKEN)
    config = ["-c", "credential.helper=", "-c", f"credential.helper={_HELPER}"] if token else []
    env = {"GIT_TERMINAL_PROMPT": "0", **({TOKEN: token} if token else {})}
    return run(["git", *config, *args], cwd=cwd, env=env, what=what)


def check_branch(tap: str, branch: str) -> None:
    """The tap answers and has `branch`; otherwise one error that says which and what to do."""
    try:
        heads = git(["ls-remote", "--heads", tap], what=f"git ls-remote of the tap {tap}").stdout
    except ReleaseError as exc:
        raise ReleaseError(exc.message, hint=f"check [homebrew] tap and {TOKEN}") from None
    names = [
        line.split("refs/heads/", 1)[1] for line in heads.splitlines() if "\trefs/heads/" in line
    ]
    if not names:
        raise ReleaseError(
            f"the tap {tap} has no branch yet: it is an empty repository",
            hint=f"seed it with a first commit on {branch}: git clone {tap} tap && cd tap && "
            f"git commit --allow-empty -m 'Initial commit' && git push origin HEAD:{branch}",
        )
    if branch not in names:
        raise ReleaseError(
            f"the tap {tap} has no branch {branch!r} (it has {', '.join(sorted(names)[:5])})",
            hint=f"set [homebrew] branch to one of them, or push a {branch} branch to the tap",
        )

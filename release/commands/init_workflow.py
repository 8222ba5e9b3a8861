"""The GitHub workflows `release init` writes (release/data): the tag-triggered release.yml,
and with `--pr` the release pull request's, in the variant the project's release mode calls
for. Every job runs the toolkit through its action at the version that writes the file.

- the split variant (release-pr-workflow.yml): merged, the release is planned, built on a
  runner per leg (a package, a target) and cut once with the runners' files; lockstep and
  independent versions alike;
- the dispatch variant (release-pr-dispatch-workflow.yml), for `[git] mode = "tag-trigger"`:
  merged, the release job only tags and starts the project's own tag workflow on the tag. The
  split variant there would publish once itself and once more from that workflow.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from release.base.errors import BadInput
from release.commands.init_config import theirs
from release.commands.init_detect import Detected
from release.core.settings import config as config_module
from release.core.settings import config_files

ACTION_REPOSITORY = "release-toolkit/release-toolkit"
DATA = Path(__file__).resolve().parent.parent / "data"
# The toolkit's release tag: its commit is not known to the toolkit (a release is tagged after
# it is built, and a commit cannot name itself); zizmor asks for a commit: the user gives it
# (`release init --pin`, from `git ls-remote`), or the note below says how.
_UNPINNED = "# zizmor: ignore[unpinned-uses] the toolkit's release tag; pin its commit if you wish"


def action_ref(version: str, commit: str | None = None) -> str:
    """What the workflows' steps `uses:` to run the toolkit: its release tag's commit when
    the user named it (`release init --pin`), else the tag, with zizmor's exemption."""
    if commit is not None:
        return f"{ACTION_REPOSITORY}@{commit} # v{version}"
    return f"{ACTION_REPOSITORY}@v{version} {_UNPINNED}"


def pinned(commit: str | None, version: str) -> str | None:
    """`release init --pin COMMIT`, checked: a full commit id, as `git ls-remote` prints it."""
    if commit is None:
        return None
    if not re.fullmatch(r"[0-9a-fA-F]{40}", commit):
        raise BadInput(
            f"--pin {commit}: not a full commit id (40 hexadecimal digits)",
            hint=f"the commit of the toolkit's tag v{version}: git ls-remote "
            f"https://github.com/{ACTION_REPOSITORY} refs/tags/v{version}",
        )
    return commit.lower()


def workflow(
    version: str,
    *,
    pull_request: bool = False,
    dispatch: list[str] | None = None,
    commit: str | None = None,
) -> str:
    """release.yml (or with `pull_request` the release pull request's workflow; with
    `dispatch`, its variant that starts those tag workflows on the merged release's tag),
    running the toolkit's action at `commit` when given, else at the version's tag."""
    if not pull_request:
        name = "release-workflow.yml"
    else:
        name = "release-pr-dispatch-workflow.yml" if dispatch else "release-pr-workflow.yml"
    text = (DATA / name).read_text("utf-8").replace("{action}", action_ref(version, commit))
    if dispatch:
        text = text.replace("{tag_workflows}", " ".join(shlex.quote(w) for w in dispatch))
    return text


def tag_workflows(found: Detected) -> list[str] | None:
    """The workflows that release a pushed tag, when the project's release mode is
    "tag-trigger" (the config as it is, or as init writes it); None in any other mode."""
    existing = config_files.find(found.root)
    if existing.path is not None:
        tag_trigger = config_module.load(found.root).git.mode == "tag-trigger"
    else:  # as release_toml (init_config.py) decides it
        tag_trigger = bool(theirs(found)) and not found.packages
    if not tag_trigger:
        return None
    return [Path(p).name for p in theirs(found)] or ["release.yml"]  # release-toolkit's own


def notes(
    found: Detected, version: str, dispatch: list[str] | None, commit: str | None = None
) -> list[str]:
    """What the user still has to do for the written workflow to work as it says."""
    said = [
        f"the workflow runs the toolkit as {ACTION_REPOSITORY}@v{version}; to pin it by commit "
        f"(zizmor's advice): git ls-remote https://github.com/{ACTION_REPOSITORY} "
        f"refs/tags/v{version}, then release init --pin COMMIT"
        if commit is None
        else f"the workflow runs the toolkit's action at commit {commit}, which --pin says is "
        f"v{version}'s (git ls-remote https://github.com/{ACTION_REPOSITORY} refs/tags/v{version})"
    ]
    folder = found.root / ".github" / "workflows"
    for name in dispatch or []:
        path = folder / name
        text = path.read_text("utf-8", errors="replace") if path.is_file() else ""
        if "workflow_dispatch" not in text:
            said.append(
                f"add `workflow_dispatch:` to the triggers of .github/workflows/{name}: the "
                "release job starts it on the merged release's tag"
            )
    return said

"""`release init`: release-toolkit.toml beside the project's own files, never over them.

What a repository already has stays as it is: its cliff.toml, its workflows, its release config
(ours, or cargo-release's release.toml: what maps of it is written into ours).
Where a workflow of the project already runs on a pushed tag, the config says `mode =
"tag-trigger"` (a cut prepares, tags and pushes; that workflow publishes as before) and the
release workflow is only written on request, under a name that is free (`--workflow FILE`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from release.base.errors import BadInput
from release.commands import init_learned as learned
from release.commands import init_workflow
from release.commands.init_config import detected_lines, release_toml, theirs
from release.commands.init_detect import Detected, detect_all
from release.commands.init_workflow import workflow
from release.commands.results import InitResult
from release.core.settings import config_files
from release.tools import cliff

OUR_WORKFLOW = ".github/workflows/release.yml"


def init(
    root: Path,
    *,
    print_only: bool = False,
    workflow_to: str | None = None,
    pull_request: bool = False,
    pin: str | None = None,
) -> InitResult:
    from release import __version__

    commit = init_workflow.pinned(pin, __version__)  # before anything is written

    if pull_request and workflow_to is None:
        raise BadInput(
            "--pr names the release pull request's workflow: say where to write it",
            hint="release init --pr --workflow .github/workflows/release-pr.yml (- prints it)",
        )
    found = detect_all(root)
    result = InitResult(detected=detected_lines(found))
    existing = config_files.find(root)
    text = with_borrowed(release_toml(found), existing.borrowed)
    result.kept += existing.notes
    config = root / config_files.OUR_FILE
    if print_only:
        result.printed = text
    elif existing.path is not None:
        name = existing.path.name
        if workflow_to is None:
            where = name if not existing.table else f"[{'.'.join(existing.table)}] in {name}"
            raise BadInput(
                f"{where} already exists: release init never overwrites it",
                hint="`release init --print` shows what init would write now; merge by hand",
            )
        result.kept.append(f"kept {name}")
    else:
        _write(config, text, result)
        if found.cliff_config is None and not _cliff_elsewhere(root):
            result.written.append(root / "cliff.toml")
            rst = found.changelog_format == "rst"
            template = cliff.rst_config() if rst else cliff.default_config()
            shutil.copyfile(template, root / "cliff.toml")
        result.kept += learned.replay_summary(root, found)
    result.notes += [
        f"warning: {path} states the version {found.learned_version} and is in no manifest: "
        "a release would leave it behind (add it under [manifests])"
        for path in found.learned.unlisted
    ]
    if found.cliff_config:
        result.kept.append(f"kept {found.cliff_config}: the project's own git-cliff config")
    dispatch = init_workflow.tag_workflows(found) if pull_request else None
    text = workflow(__version__, pull_request=pull_request, dispatch=dispatch, commit=commit)
    before = len(result.written)
    _workflow(found, workflow_to, text, result, print_only=print_only)
    if len(result.written) > before or workflow_to == "-":
        result.notes += init_workflow.notes(found, __version__, dispatch, commit)
    return result


def _write(path: Path, text: str, result: InitResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never over an existing file
        handle.write(text)
    result.written.append(path)


def with_borrowed(text: str, borrowed: dict[str, dict[str, Any]]) -> str:
    """`text` with the values taken from cargo-release's config in place of init's own."""
    lines, section = text.splitlines(keepends=True), ""
    for i, line in enumerate(lines):
        if line.startswith("["):
            section = line.split("]")[0].strip("[")
        key = line.split("=")[0].strip() if "=" in line and not line.startswith("#") else ""
        if key in borrowed.get(section, {}):
            value = json.dumps(borrowed[section][key])
            lines[i] = f"{key} = {value}  # as cargo-release's config says\n"
    return "".join(lines)


def _cliff_elsewhere(root: Path) -> bool:
    """git-cliff also reads [tool.git-cliff] in pyproject.toml and Cargo's metadata table."""
    files = [root / "pyproject.toml", root / "Cargo.toml"]
    return any("git-cliff]" in p.read_text("utf-8") for p in files if p.is_file())


def _workflow(
    found: Detected, to: str | None, text: str, result: InitResult, *, print_only: bool
) -> None:
    tagged = theirs(found)
    for w in found.workflows:
        result.kept.append(f"kept {w.path}: it runs on {w.trigger}")
    if to == "-":
        result.printed = text
    elif to is not None:
        target = found.root / to
        if target.exists():
            raise BadInput(f"{to} already exists", hint="init never overwrites: name a free file")
        _write(target, text, result)
    elif print_only:
        return
    elif found.packages:
        result.kept.append(
            "release-toolkit's workflow was not added: it builds and publishes one tag of the "
            "whole repository, and independent packages are cut and published by `release cut` "
            "(or in CI, from a release pull request: `release init --pr --workflow "
            ".github/workflows/release-pr.yml`)"
        )
        return
    elif tagged or (found.root / OUR_WORKFLOW).exists():
        listed = ", ".join(Path(p).name for p in tagged) or OUR_WORKFLOW
        takes = "take" if len(tagged) > 1 else "takes"
        result.kept += [
            f'{config_files.OUR_FILE} says mode = "tag-trigger": `release cut` writes the '
            f"changelog and the versions, commits, tags and pushes; {listed} {takes} over from "
            "the tag as before",
            "release-toolkit's own workflow was not added. To let it build and publish instead: "
            "`release init --workflow .github/workflows/release-toolkit.yml`, then remove the "
            f"tag trigger from {listed} (or both publish on the same tag)",
        ]
        return
    else:
        _write(found.root / OUR_WORKFLOW, text, result)
    if tagged and to not in (None, "-"):
        result.kept.append(
            f"{to} runs on a pushed tag, as {', '.join(Path(p).name for p in tagged)} do(es): "
            "leave the tag trigger in only one workflow that publishes"
        )

"""What the crates step asks before anything is public, beyond the index: a lock file for
`--locked`, a registry that can resolve the crates' siblings, the crates packaged against
it, the token, where the registry lets a token be checked without using it, and in
independent mode the siblings a crate needs that its cut does not release."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from release.base.errors import BadInput, ToolError
from release.base.versioning import Version
from release.core.engine import archive_check
from release.core.engine.context import Problem, ReleaseContext
from release.core.project.package import unqualified
from release.core.project.requirements import accepts
from release.remote.net import PREFLIGHT, Http, HttpError, Service
from release.tools import cargo

# crates.io answers a token on `GET /api/v1/me` with "this action can only be performed on
# the crates.io website" (cookie sessions only), whether the token is good or not: it checks
# a token only when it is used. Registries that answer tokens there (the crates.io-compatible
# ones that serve /me to cargo's token) are asked.
GENERIC = "CARGO_REGISTRY_TOKEN"
CRATES_IO_TOKEN_NOTE = "crates.io checks a token only when it publishes"


def lock_problem(step: str, workspace: Path, relpath: str) -> Problem | None:
    if (workspace / "Cargo.lock").is_file():
        return None
    return Problem(
        step,
        f"no Cargo.lock in {relpath}: the release builds and publishes with --locked",
        hint="run `cargo generate-lockfile` and commit Cargo.lock",
    )


def source_problem(
    meta: dict[str, Any],
    names: list[str],
    registry: str,
    workspace: Path,
    siblings: list[str] | None = None,
) -> Problem | None:
    """A crate that depends on a sibling without `registry = ...` names crates.io as that
    sibling's source; published to another registry, it can only resolve the sibling if
    cargo's configuration replaces crates.io with that registry. `names`: the crates
    published now; `siblings`: every crate published there (default: `names`)."""
    if cargo.crates_io_replaced_by(workspace) == registry:
        return None
    publishing = set(names)
    registered = set(siblings if siblings is not None else names)
    for package in meta["packages"]:
        if package["name"] not in publishing:
            continue
        for dep in package["dependencies"]:
            if dep["name"] in registered and dep.get("kind") != "dev" and not dep.get("registry"):
                return Problem(
                    "crates",
                    f"{package['name']} depends on {dep['name']} from crates.io, but the crates "
                    f"go to the registry {registry!r}: cargo cannot resolve {dep['name']} there",
                    hint=f'add [source.crates-io] replace-with = "{registry}" to '
                    f'.cargo/config.toml, or registry = "{registry}" to the dependency',
                )
    return None


def package_problem(
    workspace: Path,
    names: list[str],
    *,
    registry: str | None,
    index: str | None,
    root: Path | None = None,
) -> Problem | None:
    """cargo's packaging of `names` against the registry, and what it packed checked: no
    unsafe member, nothing a link under the workspace reaches outside `root` (the repository;
    the workspace when None)."""
    # cargo never packs its own target/ folder: not walked
    outside = archive_check.outside_content(
        workspace, root or workspace, skip=frozenset({"target"})
    )
    with tempfile.TemporaryDirectory(prefix="release-package-") as tmp:
        try:
            cargo.package(workspace, names, registry=registry, index=index, target_dir=Path(tmp))
            for crate in sorted((Path(tmp) / "package").glob("*.crate")):
                archive_check.refuse_unsafe(crate)  # what cargo packed, before it publishes
                archive_check.refuse_followed(crate, outside)
        except BadInput as exc:
            return Problem("crates", exc.message, hint=exc.hint)
        except ToolError as exc:
            return Problem(
                "crates",
                f"the crates do not package against {registry or index or 'crates.io'}: "
                f"{_cause(exc)}",
                hint="`cargo package --workspace` shows the whole error; fix it before any "
                "crate is published",
            )
    return None


def _cause(exc: ToolError) -> str:
    """cargo's innermost "Caused by:" line says why (its headline says only what failed)."""
    lines = [line.strip() for line in (exc.detail or "").splitlines()]
    causes = [n for n, line in enumerate(lines) if line == "Caused by:"]
    if causes and causes[-1] + 1 < len(lines):
        return lines[causes[-1] + 1]
    return exc.message.removeprefix("cargo package failed: ").removeprefix("error: ")


def token_problem(api: str, token: str, secret: str, registry: str) -> Problem | None:
    """`GET /api/v1/me` with the token: who it belongs to, and nothing changes. 401/403 is a
    rejected token; any other refusal means the registry does not offer the check."""
    with Http(Service(f"the registry {registry}", secret), policy=PREFLIGHT) as http:
        try:
            response = http.request(
                "GET",
                api.rstrip("/") + "/api/v1/me",
                expect=(401, 403, 404, 405),
                headers={"Authorization": token},
            )
        except HttpError:
            return None  # the registry's API is not the index; the publish says more
    if response.status_code not in (401, 403):
        return None
    return Problem(
        "crates",
        f"crates token rejected by the registry {registry} (HTTP {response.status_code})",
        hint=f"set {secret}{'' if secret == GENERIC else f' (or {GENERIC})'} to a token of "
        f"{registry} that may publish these crates, or `release login {secret}`",
    )


def unpublished_siblings(
    ctx: ReleaseContext,
    versions_of: Callable[[list[str]], dict[str, dict[str, str]]],
    workspace_crates: Iterable[str],
) -> list[Problem]:
    """Independent mode: each sibling this crate requires that the cut does not release
    must already be on the registry in a version the requirement admits, or cargo fails to
    publish it after the cut's first crates went out."""
    package = ctx.package
    if package is None:
        return []
    members = set(workspace_crates)
    wanted = {  # by the crates' own names (`polars`, not `cargo/polars`)
        unqualified(name): requirement
        for name, requirement in package.requires.items()
        if unqualified(name) in members and name not in ctx.released_with
    }
    found = versions_of(sorted(wanted))
    problems = []
    for name, requirement in sorted(wanted.items()):
        there = [Version.parse(v) for v in found[name] if Version.is_valid(v)]
        if any(accepts("crate", requirement, v) for v in there):
            continue
        problems.append(
            Problem(
                "crates",
                f"{package.name} requires {name} {requirement or '(any version)'}, which is not "
                "on the registry and is not released in this cut",
                hint=f"publish {name} to the registry first, or release it in this cut "
                f"(release cut --package {name} VERSION, then {package.name})",
            )
        )
    return problems

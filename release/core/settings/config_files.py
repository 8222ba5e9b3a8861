"""Where release-toolkit's config is read from, and what a cargo-release config beside it lends.

Lookup order: release-toolkit.toml, then release.toml when it is ours (cargo-release's file has
the same name: told apart by its keys), then [tool.release-toolkit] and [tool.release] in
pyproject.toml. A cargo-release config (its release.toml or `[workspace.metadata.release]` /
`[package.metadata.release]` in Cargo.toml) is never validated as ours: what maps (allowed
branches, tag name, commit message, ...) becomes a default that our own config overrides.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from release.base import _toml
from release.base.errors import ConfigError

OUR_FILE = "release-toolkit.toml"
SHARED_FILE = "release.toml"  # ours before 0.x; cargo-release's too
PYPROJECT_TABLES = (("tool", "release-toolkit"), ("tool", "release"))

OUR_SECTIONS = frozenset(
    """project version git changelog manifests build sign crates pypi docker github homebrew
    slack email discord teams mastodon""".split()  # noqa: SIM905
)
# cargo-release's top-level keys (its reference, docs/reference.md): none is a section of ours.
CARGO_RELEASE_KEYS = frozenset(
    """allow-branch sign-commit sign-tag push-remote registry release publish verify owners push
    push-options shared-version consolidate-commits pre-release-commit-message
    pre-release-replacements pre-release-hook tag-message tag-prefix tag-name tag
    enable-features enable-all-features dependent-version metadata target rate-limit
    certs-source dev-version dev-version-ext post-release-commit-message
    post-release-replacements disable-publish disable-push disable-tag no-dev-version""".split()  # noqa: SIM905
)


@dataclass
class Found:
    """Our config's table (empty: none), where it is, and the defaults borrowed elsewhere."""

    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None  # our own config file
    table: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    cargo_release: Path | None = None  # cargo-release's config file
    borrowed: dict[str, dict[str, Any]] = field(default_factory=dict)  # its values, as ours


def _read(path: Path) -> dict[str, Any]:
    return _toml.load(path, hint="fix the TOML syntax at that line")


def is_cargo_release(data: dict[str, Any], path: Path) -> bool:
    """Whether a release.toml is cargo-release's (True) or ours (False); both at once is an
    error, since neither tool would read the other's keys."""
    theirs = sorted(k for k in data if k in CARGO_RELEASE_KEYS)
    ours = sorted(k for k in data if k in OUR_SECTIONS)
    if theirs and ours:
        from release.core.settings.config_validation import locate

        line = locate(path.read_text(encoding="utf-8"), (ours[0],))
        raise ConfigError(
            f"{path.name} mixes cargo-release's keys ({', '.join(theirs)}) and release-toolkit's "
            f"sections ({', '.join(ours)})",
            hint=f"move the release-toolkit sections to {OUR_FILE}; leave {path.name} to "
            "cargo-release",
            where=f"{path}:{line}" if line else str(path),
        )
    return bool(theirs)


def find(root: Path) -> Found:
    """Our config and the cargo-release defaults of the repository at `root`."""
    found = Found()
    cargo: tuple[Path, dict[str, Any]] | None = None
    ours = root / OUR_FILE
    shared = root / SHARED_FILE
    if shared.is_file():
        data = _read(shared)
        if is_cargo_release(data, shared):
            cargo = (shared, data)
        elif not ours.is_file():
            found.data, found.path = data, shared
    if ours.is_file():
        found.data, found.path = _read(ours), ours
    if found.path is None:
        _pyproject(root, found)
    cargo = cargo or _cargo_metadata(root)
    if cargo is not None:
        found.borrowed, notes = borrowed(*cargo, root=root)
        found.data = _merge(found.borrowed, found.data)
        found.notes += notes
        found.cargo_release = cargo[0]
    return found


def notes(root: Path) -> list[str]:
    """What the commands say about the config: a cargo-release config and what it lent."""
    try:
        return find(root).notes
    except ConfigError:
        return []  # loading the config says what is wrong


def table_in(source: Path) -> tuple[str, ...]:
    """The table our config is in within `source` (a pyproject.toml's), () for a file of ours."""
    if source.name != "pyproject.toml":
        return ()
    found = Found()
    _pyproject(source.parent, found)
    return found.table


def _pyproject(root: Path, found: Found) -> None:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return
    data = _read(pyproject)
    for table in PYPROJECT_TABLES:
        value: Any = data
        for key in table:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            found.data, found.path, found.table = value, pyproject, table
            return


def _cargo_metadata(root: Path) -> tuple[Path, dict[str, Any]] | None:
    cargo = root / "Cargo.toml"
    if not cargo.is_file():
        return None
    data = _read(cargo)
    for section in ("workspace", "package"):
        table = data.get(section, {})
        meta = table.get("metadata", {}) if isinstance(table, dict) else {}
        release = meta.get("release") if isinstance(meta, dict) else None
        if isinstance(release, dict):
            return cargo, release
    return None


def _merge(defaults: dict[str, Any], ours: Any) -> Any:
    if not isinstance(ours, dict):
        return ours  # validation says what is wrong with it
    merged = {key: dict(value) for key, value in defaults.items()}
    for key, value in ours.items():
        if isinstance(value, dict) and key in merged:
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def _crate_name(root: Path) -> str | None:
    package = (
        _read(root / "Cargo.toml").get("package", {}) if (root / "Cargo.toml").is_file() else {}
    )
    name = package.get("name") if isinstance(package, dict) else None
    return name if isinstance(name, str) else None


def _template(text: str, names: dict[str, str | None]) -> str | None:
    """A cargo-release template ({{version}}, {{crate_name}}, ...) in our str.format syntax;
    None when it uses a variable that has no counterpart here."""
    # Their variables become \x00name\x01 while our format's own braces are escaped.
    marked = text.replace("{{", "\x00").replace("}}", "\x01").replace("{", "{{").replace("}", "}}")

    def variable(match: re.Match[str]) -> str:
        value = names.get(match.group(1))
        if value is None:
            raise KeyError(match.group(1))
        return value

    try:
        ours = re.sub("\x00\\s*(\\w+)\\s*\x01", variable, marked)
    except KeyError:
        return None
    return None if "\x00" in ours or "\x01" in ours else ours


def borrowed(
    path: Path, data: dict[str, Any], *, root: Path
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Our defaults taken from cargo-release's config `data`, and notes saying what was taken."""
    defaults: dict[str, dict[str, Any]] = {}
    taken: list[str] = []
    left: list[str] = []

    def take(section: str, key: str, value: Any, their: str) -> None:
        defaults.setdefault(section, {})[key] = value
        taken.append(f"[{section}] {key} = {json.dumps(value)} (from {their})")

    branches = data.get("allow-branch")
    if isinstance(branches, list):
        allowed = [b for b in branches if isinstance(b, str) and not b.startswith("!")]
        if allowed:
            take("git", "branch", allowed if len(allowed) > 1 else allowed[0], "allow-branch")
    prefix = data.get("tag-prefix")
    tag_name = data.get("tag-name", "{{prefix}}v{{version}}" if isinstance(prefix, str) else None)
    if isinstance(tag_name, str):
        # cargo-release's own default: "" for the root crate, "{{crate_name}}-" for the
        # members of a virtual workspace
        default = "" if _crate_name(root) else "{name}-"
        prefix_ours = (
            _template(prefix, {"crate_name": "{name}"}) if isinstance(prefix, str) else default
        )
        fmt = _template(
            tag_name, {"version": "{version}", "crate_name": "{name}", "prefix": prefix_ours}
        )
        if fmt is None or fmt.count("{version}") != 1:
            left.append("tag-name")
        elif "{name}" in fmt:
            take("version", "package_tag_format", fmt, "tag-name")
        else:
            take("version", "tag_format", fmt, "tag-name")
    names = {"version": "{version}", "crate_name": _crate_name(root), "tag_name": "{tag}"}
    for their, key in (
        ("pre-release-commit-message", "commit_message"),
        ("tag-message", "tag_message"),
    ):
        message = data.get(their)
        if isinstance(message, str):
            ours = _template(message, {**names, "prev_version": "{previous_version}"})
            if ours is None:
                left.append(their)
            else:
                take("git", key, ours, their)
    if data.get("shared-version") is True:  # one version for every crate
        take("version", "mode", "lockstep", "shared-version")
    for flag in ("sign-tag", "sign-commit"):
        if data.get(flag) is True:
            left.append(f"{flag} (set [git] signing_key to the key's id)")
    if isinstance(data.get("push"), bool):
        take("git", "push", data["push"], "push")
    if isinstance(data.get("push-remote"), str):
        take("git", "remote", data["push-remote"], "push-remote")
    if data.get("publish") is False:
        take("crates", "enabled", False, "publish")
    if isinstance(data.get("registry"), str):
        take("crates", "registry", data["registry"], "registry")
    where = path.name if path.name == SHARED_FILE else f"{path.name} [*.metadata.release]"
    note = f"{where} is cargo-release's config: release-toolkit reads its own from {OUR_FILE}"
    if taken:
        note += "; taken from it as defaults: " + ", ".join(taken)
    if left:
        note += "; not taken (no counterpart): " + ", ".join(left)
    return defaults, [note]

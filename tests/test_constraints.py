"""constraints.txt, with which action.yml installs the toolkit: every run-time dependency of
pyproject.toml pinned, inside the range pyproject allows, in the form the lock script writes
(scripts/lock_dependencies.py); and the action installs with it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from release.base._toml import tomllib

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lock", ROOT / "scripts" / "lock_dependencies.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pins() -> dict[str, Version]:
    found = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([a-z0-9-]+)==(\S+)", line)
        assert match, f"constraints.txt:{number}: {line!r} is not NAME==VERSION"
        assert match.group(1) not in found, f"constraints.txt:{number}: pinned twice"
        found[match.group(1)] = Version(match.group(2))
    return found


def test_every_runtime_dependency_is_pinned_inside_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = pins()
    outside = []
    for text in project["dependencies"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is a dependency and constraints.txt does not pin it"
        if not requirement.specifier.contains(pinned[name], prereleases=True):
            outside.append(f"{name}=={pinned[name]} is outside {requirement.specifier}")
    assert outside == [], "regenerate: .venv/bin/python scripts/lock_dependencies.py"
    assert canonicalize_name(project["name"]) not in pinned  # the action installs its own ref


def test_the_file_is_what_the_lock_script_writes() -> None:
    text = (ROOT / "constraints.txt").read_text()
    lock = _script()
    assert lock.render({name: str(v) for name, v in pins().items()}) == text
    assert "scripts/lock_dependencies.py" in text.splitlines()[2]  # says how to regenerate


def test_the_action_installs_its_own_ref_with_the_constraints() -> None:
    action = (ROOT / "action.yml").read_text()
    assert '--constraint "$ACTION_PATH/constraints.txt" "$ACTION_PATH"' in action

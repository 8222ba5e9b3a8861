"""scripts/system-deps on a machine without docker-registry, skopeo and ruby.

The script runs for real with a PATH that holds only what a fresh Debian machine has (bash,
coreutils, python3, git, gpg, cargo). apt-get and sudo are the one stand-in: tests reach no
network but 127.0.0.1, so the stand-in records what it was asked and "installs" a package by
linking the real program into that PATH. CI's log (`.ci/run`) shows the real installation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-deps"
BASE = ["bash", "env", "dirname", "awk", "sort", "head", "cat", "ln", "git", "gpg", "python3"]
SERVICES = {"docker-registry": "docker-registry", "skopeo": "skopeo", "ruby": "ruby"}

APT_GET = """#!/bin/bash
echo "apt-get $*" >> "{log}"
[ "$1" = install ] || exit 0
for arg in "$@"; do
  case "$arg" in -*|install) ;; *) ln -sf "$(cat "{real}/$arg")" "{bin}/$arg" ;; esac
done
"""
SUDO = '#!/bin/bash\necho "sudo $*" >> "{log}"\nexec "$@"\n'
ID = '#!/bin/bash\n[ "$1" = -u ] && echo {uid}\n'
OLD_CARGO = "#!/bin/bash\necho 'cargo 1.85.0 (d73d2caf9 2024-12-31)'\n"


@dataclass
class Machine:
    bin: Path
    log: Path

    def run(self) -> subprocess.CompletedProcess[str]:
        env = {"PATH": str(self.bin), "HOME": os.environ["HOME"], "SYSTEM_DEPS_FOR": "scripts/test"}
        for key in ("RUSTUP_HOME", "CARGO_HOME"):
            if key in os.environ:
                env[key] = os.environ[key]
        return subprocess.run(
            [str(self.bin / "bash"), str(SCRIPT), "--services"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def script(self, name: str, text: str) -> None:
        path = self.bin / name
        path.unlink(missing_ok=True)
        path.write_text(text)
        path.chmod(0o755)


def _fresh(tmp_path: Path, *, uid: int, sudo: bool, apt: bool = True) -> Machine:
    """A PATH of a fresh machine: the base tools, no docker-registry, skopeo or ruby."""
    bin, real = tmp_path / "bin", tmp_path / "real"
    bin.mkdir()
    real.mkdir()
    for name in [*BASE, "cargo"]:
        found = shutil.which(name)
        assert found, f"{name} is needed to run this test"
        (bin / name).symlink_to(found)
    for package, command in SERVICES.items():
        found = shutil.which(command)
        assert found, f"{command} is needed to run this test"
        (real / package).write_text(found)  # where apt-get's stand-in finds the program
    machine = Machine(bin, tmp_path / "calls.log")
    machine.script("id", ID.format(uid=uid))
    if apt:
        machine.script("apt-get", APT_GET.format(log=machine.log, real=real, bin=bin))
    if sudo:
        machine.script("sudo", SUDO.format(log=machine.log))
    return machine


def test_as_root_it_installs_the_missing_packages_with_apt_get(tmp_path: Path) -> None:
    machine = _fresh(tmp_path, uid=0, sudo=False)
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.calls() == [
        "apt-get update -qq",
        "apt-get install -y -qq docker-registry skopeo ruby",
    ]
    assert "scripts/test: installing docker-registry skopeo ruby (apt-get)" in result.stderr
    assert all((machine.bin / command).exists() for command in SERVICES.values())
    again = machine.run()  # everything is there now: nothing to install
    assert again.returncode == 0 and len(machine.calls()) == 2, again.stderr


def test_otherwise_through_sudo(tmp_path: Path) -> None:
    machine = _fresh(tmp_path, uid=1000, sudo=True)
    result = machine.run()
    assert result.returncode == 0, result.stderr
    assert machine.calls() == [
        "sudo apt-get update -qq",
        "apt-get update -qq",
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
        "docker-registry skopeo ruby",
        "apt-get install -y -qq docker-registry skopeo ruby",
    ]
    assert "(sudo apt-get)" in result.stderr


@pytest.mark.parametrize("apt", [True, False], ids=["no sudo", "no apt-get"])
def test_one_line_says_what_to_run_where_it_cannot_install(tmp_path: Path, apt: bool) -> None:
    machine = _fresh(tmp_path, uid=1000, sudo=False, apt=apt)
    result = machine.run()
    assert result.returncode == 2
    assert machine.calls() == []
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scripts/test: needs docker-registry skopeo ruby")
    if apt:
        assert lines[0].endswith("run as root: apt-get install docker-registry skopeo ruby")


def test_an_old_cargo_is_named_with_the_way_to_update_it(tmp_path: Path) -> None:
    machine = _fresh(tmp_path, uid=0, sudo=False)
    machine.script("cargo", OLD_CARGO)
    result = machine.run()
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "scripts/test: found cargo 1.85.0, needs 1.90 or newer (cargo publish --workspace): "
        "rustup update stable"
    )

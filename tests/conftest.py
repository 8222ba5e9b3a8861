"""Real git repositories for the tests: commits, tags, branches, merges, bare remotes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# The loopback services (crate registry, ...) are fixtures for every test.
pytest_plugins = ["tests.services.fixtures"]

RELEASE = str(Path(sys.executable).parent / "release")

# The tests give git a HOME of their own; rustup and cargo keep finding their toolchains.
_REAL_HOME = Path.home()
os.environ.setdefault("RUSTUP_HOME", str(_REAL_HOME / ".rustup"))
os.environ.setdefault("CARGO_HOME", str(_REAL_HOME / ".cargo"))
os.environ["PATH"] = f"{_REAL_HOME / '.cargo' / 'bin'}{os.pathsep}{os.environ['PATH']}"
_ENV = {
    "GIT_AUTHOR_NAME": "Test Dev",
    "GIT_AUTHOR_EMAIL": "dev@example.test",
    "GIT_COMMITTER_NAME": "Test Dev",
    "GIT_COMMITTER_EMAIL": "dev@example.test",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def gpg_agent_homes(under: Path) -> set[str]:
    """The homedirs of the running gpg-agents that were started for a folder below `under`."""
    homes = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue  # the process ended meanwhile
        if Path(args[0]).name == "gpg-agent" and "--homedir" in args[:-1]:
            home = args[args.index("--homedir") + 1]
            if Path(home).is_relative_to(under):
                homes.add(home)
    return homes


@pytest.fixture(scope="session", autouse=True)
def _stop_gpg_agents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """gpg starts an agent per homedir that outlives the test that used it: stop every one
    this session started (they all live under its base temp folder)."""
    yield
    stop_gpg_agents(tmp_path_factory.getbasetemp().resolve())


def stop_gpg_agents(under: Path) -> None:
    for home in gpg_agent_homes(under):
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], capture_output=True)


@pytest.fixture(autouse=True)
def _git_identity(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n"
    )
    monkeypatch.setenv("HOME", str(home))
    for key, value in _ENV.items():
        monkeypatch.setenv(key, value)


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, env={**os.environ}
    )
    return proc.stdout.strip()


@dataclass
class Repo:
    path: Path
    _n: int = 0

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def commit(self, message: str, *, file: str | None = None) -> str:
        self._n += 1
        target = self.path / (file or "notes.txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a") as handle:
            handle.write(f"{self._n} {message.splitlines()[0]}\n")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, rev: str = "HEAD") -> None:
        self.git("tag", "-a", "-m", name, name, rev)

    def write(self, rel: str, text: str) -> Path:
        path = self.path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def add_remote(self, tmp: Path, name: str = "origin") -> Path:
        bare = tmp / f"{name}.git"
        git(tmp, "init", "-q", "--bare", str(bare))
        self.git("remote", "add", name, str(bare))
        self.git("push", "-q", name, "HEAD:refs/heads/main", "--tags")
        self.git("branch", "-q", "--set-upstream-to", f"{name}/main")
        return bare

    def status(self) -> str:
        return self.git("status", "--porcelain")

    def snapshot(self) -> tuple[str, str, str]:
        """HEAD, tags and work tree state: equal before and after means nothing changed."""
        return (self.git("rev-parse", "HEAD"), self.git("tag", "-l"), self.status())


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repo]:
    path = tmp_path / "project"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    r = Repo(path)
    yield r
    shutil.rmtree(path, ignore_errors=True)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_release(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    proc = subprocess.run(
        [RELEASE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)

"""Real git repositories for the tests: commits, tags, branches, merges, bare remotes."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import tiers

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


# -- the venv, shared with scripts that reinstall the project into it ------------------------
#
# scripts/demo and scripts/bench source scripts/bootstrap, whose `pip install -e .` takes the
# project out of the venv for a moment and puts it back: a `release` (or any `python -c "import
# release..."`) started in that moment finds no script or no package. When tests run in
# parallel (pytest-xdist workers, or another pytest on the same venv), every test holds the
# venv shared, and a test marked `reinstalls_venv` runs its script through
# `run_bootstrapping`: alone with the venv until its reinstall is over, alongside the others
# after that. A waiting reinstall goes first (the turnstile), so it is not starved.

_VENV_LOCK = Path(sys.prefix) / ".tests-venv.lock"
_VENV_TURNSTILE = Path(sys.prefix) / ".tests-venv-turnstile.lock"


@contextmanager
def _flock(path: Path, operation: int) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, operation)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _venv_shared() -> Iterator[None]:
    with _VENV_LOCK.open("a") as handle:
        with _flock(_VENV_TURNSTILE, fcntl.LOCK_EX):
            fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """Each test, with its fixtures' setup and teardown, holds the venv shared."""
    if item.get_closest_marker("reinstalls_venv"):
        return (yield)
    with _venv_shared():
        return (yield)


# The longest test files (whole cuts, the scripts), longest first. pytest-xdist gives each
# worker a file at a time in collection order (`--dist loadfile --no-loadscope-reorder`):
# started first, they run alongside the many short files instead of after them, with the
# other workers idle.
FIRST = (
    "e2e/test_kill.py",
    "e2e/test_independent_cut.py",
    "e2e/test_pipelines.py",
    "e2e/test_demo.py",
    "test_bench.py",
    "e2e/test_faults.py",
    "e2e/test_split.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    tiers.mark(items)  # `slow` and `e2e`, read from the code (tests/tiers.py)

    def rank(item: pytest.Item) -> int:
        try:
            name = item.path.relative_to(here).as_posix()
        except ValueError:
            return len(FIRST)
        return FIRST.index(name) if name in FIRST else len(FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order


def _descendants(pid: int) -> list[list[str]]:
    """The command lines of every process below `pid`."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it ended meanwhile
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        todo += children.get(child, [])
        try:
            found.append(Path(f"/proc/{child}/cmdline").read_bytes().decode().split("\0"))
        except OSError:
            continue
    return found


def _reinstalling(args: list[str]) -> bool:
    """`pip install ... -e ...`: scripts/bootstrap putting the project into the venv."""
    return "pip" in args and "install" in args and "-e" in args


def run_bootstrapping(
    args: Sequence[str], *, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)` for a
    script that sources scripts/bootstrap; the venv is its alone while the project is
    reinstalled (see above). Its test is marked `reinstalls_venv`."""
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        with _flock(_VENV_TURNSTILE, fcntl.LOCK_EX), _flock(_VENV_LOCK, fcntl.LOCK_EX):
            proc = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
            seen = False
            while proc.poll() is None and time.monotonic() < deadline:
                installing = any(_reinstalling(a) for a in _descendants(proc.pid))
                if seen and not installing:
                    break  # the project is back in the venv
                seen = seen or installing
                time.sleep(0.05)
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(list(args), proc.returncode, out.read(), err.read())


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

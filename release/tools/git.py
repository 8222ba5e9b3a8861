"""Git, run as the git binary: the repository's state, tags, commits and pushes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.core.errors import RepositoryError, ToolError
from release.tools.run import Completed, run


@dataclass(frozen=True)
class Git:
    root: Path

    def _run(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> Completed:
        return run(["git", *args], cwd=self.root, check=check, env=env)

    def out(self, *args: str) -> str:
        return self._run(*args).stdout.strip()

    @classmethod
    def discover(cls, start: Path) -> Git:
        """The repository that contains `start`, or a clear error outside one."""
        proc = run(["git", "rev-parse", "--show-toplevel"], cwd=start, check=False)
        if proc.returncode != 0:
            raise RepositoryError(
                f"{start} is not inside a git repository",
                hint="run release from the project's git checkout",
            )
        return cls(Path(proc.stdout.strip()))

    # --- state -----------------------------------------------------------------------------
    def git_dir(self) -> Path:
        return Path(self.out("rev-parse", "--absolute-git-dir"))

    def is_shallow(self) -> bool:
        return self.out("rev-parse", "--is-shallow-repository") == "true"

    def has_commits(self) -> bool:
        return self._run("rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0

    def head(self) -> str:
        return self.out("rev-parse", "HEAD")

    def branch(self) -> str | None:
        """The current branch, or None on a detached HEAD."""
        proc = self._run("symbolic-ref", "-q", "--short", "HEAD", check=False)
        return proc.stdout.strip() or None

    def dirty_paths(self) -> list[str]:
        """Tracked changes and untracked files (ignored files do not count)."""
        status = self._run("status", "--porcelain=v1", "--untracked-files=normal").stdout
        return [line[3:] for line in status.splitlines() if line.strip()]

    def tags_merged(self, pattern: str) -> list[str]:
        """Tags matching a glob whose commit is reachable from HEAD."""
        refs = self.out(
            "for-each-ref", "--merged=HEAD", "--format=%(refname:strip=2)", f"refs/tags/{pattern}"
        )
        return refs.splitlines()

    def tags(self, pattern: str) -> list[str]:
        """Every tag matching a glob, reachable or not (cheap: no history walk)."""
        return self.out(
            "for-each-ref", "--format=%(refname:strip=2)", f"refs/tags/{pattern}"
        ).split()

    def tags_at_head(self, pattern: str) -> list[str]:
        return self.out("tag", "--points-at", "HEAD", "--list", pattern).splitlines()

    def tag_exists(self, tag: str) -> bool:
        ref = f"refs/tags/{tag}"
        return self._run("rev-parse", "--verify", "-q", ref, check=False).returncode == 0

    def commit_time(self, rev: str = "HEAD") -> int:
        return int(self.out("show", "-s", "--format=%ct", rev))

    def remote_url(self, remote: str) -> str | None:
        proc = self._run("remote", "get-url", remote, check=False)
        return proc.stdout.strip() or None

    def default_branch(self, remote: str) -> str | None:
        """The remote's default branch: its HEAD as the last fetch recorded it, else as the
        remote says now (`ls-remote --symref`, without prompting for credentials)."""
        proc = self._run(
            "symbolic-ref", "-q", "--short", f"refs/remotes/{remote}/HEAD", check=False
        )
        if proc.stdout.strip().startswith(f"{remote}/"):
            return proc.stdout.strip().removeprefix(f"{remote}/")
        asked = self._run(
            "ls-remote", "--symref", remote, "HEAD", check=False, env={"GIT_TERMINAL_PROMPT": "0"}
        )
        for line in asked.stdout.splitlines():
            ref, _, name = line.partition("\t")
            if ref.startswith("ref: refs/heads/") and name == "HEAD":
                return ref.removeprefix("ref: refs/heads/")
        return None

    def ls_remote(self, remote: str, *refs: str) -> dict[str, str]:
        """ref name -> object id on the remote (peeled tags show as `ref^{}`)."""
        proc = self._run("ls-remote", remote, *refs, check=False)
        if proc.returncode != 0:
            detail = proc.stderr.strip().splitlines()
            raise ToolError(
                f"cannot reach the remote {remote!r}",
                hint="check the remote's URL and your credentials (git remote -v)",
                detail="\n".join(detail[-5:]),
            )
        result: dict[str, str] = {}
        for line in proc.stdout.splitlines():
            oid, _, ref = line.partition("\t")
            result[ref] = oid
        return result

    def is_ancestor(self, ancestor: str, rev: str = "HEAD") -> bool:
        proc = self._run("merge-base", "--is-ancestor", ancestor, rev, check=False)
        return proc.returncode == 0

    def has_object(self, oid: str) -> bool:
        return self._run("cat-file", "-e", f"{oid}^{{commit}}", check=False).returncode == 0

    # --- changes ---------------------------------------------------------------------------
    def commit(self, message: str, paths: list[str]) -> str:
        self._run("add", "--", *paths)
        self._run("commit", "--no-verify", "-m", message, "--", *paths)
        return self.head()

    def tag(self, name: str, message: str, *, sign_key: str | None = None) -> None:
        if sign_key:
            self._run("tag", "-s", "-u", sign_key, "-m", message, name)
        else:
            self._run("-c", "tag.gpgSign=false", "tag", "-a", "-m", message, name)

    def delete_tag(self, name: str) -> None:
        self._run("tag", "-d", name, check=False)

    def reset_hard(self, rev: str) -> None:
        self._run("reset", "--hard", "-q", rev)

    def push(self, remote: str, *refspecs: str) -> None:
        self._run("push", "--atomic", remote, *refspecs)

"""Git, run as the git binary: the repository's state, tags, commits and pushes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.base.errors import RepositoryError, ToolError
from release.tools.run import Completed, run


@dataclass(frozen=True)
class Auth:
    """A token for a remote over https, read from the environment variable `variable` by a
    credential helper: the token never reaches argv. No prompt either way."""

    variable: str
    token: str | None

    def options(self) -> list[str]:
        if not self.token:
            return []
        helper = f'!f() {{ echo username=x-access-token; echo "password=${self.variable}"; }}; f'
        return ["-c", "credential.helper=", "-c", f"credential.helper={helper}"]

    def env(self) -> dict[str, str]:
        return {"GIT_TERMINAL_PROMPT": "0", **({self.variable: self.token} if self.token else {})}


@dataclass(frozen=True)
class Git:
    root: Path
    auth: Auth | None = None  # for a remote that needs a token (a Homebrew tap)

    def _run(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        what: str | None = None,
    ) -> Completed:
        options = self.auth.options() if self.auth else []
        if self.auth:
            env = {**self.auth.env(), **(env or {})}
        return run(["git", *options, *args], cwd=self.root, check=check, env=env, what=what)

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

    def shallow_parents(self) -> set[str]:
        """The parents that a shallow clone's boundary commits name but are cut off from
        (a fetched tag there is the history's next commit, though not reachable)."""
        shallow = Path(self.out("rev-parse", "--path-format=absolute", "--git-path", "shallow"))
        found: set[str] = set()
        for oid in shallow.read_text().split() if shallow.is_file() else []:
            header = self.out("cat-file", "commit", oid).split("\n\n", 1)[0]
            found |= {ln.split()[1] for ln in header.splitlines() if ln.startswith("parent ")}
        return found

    def has_commits(self) -> bool:
        return self._run("rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0

    def head(self) -> str:
        return self.out("rev-parse", "HEAD")

    def branch(self) -> str | None:
        """The current branch, or None on a detached HEAD."""
        proc = self._run("symbolic-ref", "-q", "--short", "HEAD", check=False)
        return proc.stdout.strip() or None

    def dirty_paths(self, *, outside: str | None = None) -> list[str]:
        """Tracked changes and untracked files (ignored files do not count); with `outside`,
        not those under that folder (the release's own dist/)."""
        status = self._run("status", "--porcelain=v1", "--untracked-files=normal").stdout
        paths = [line[3:] for line in status.splitlines() if line.strip()]
        if outside is None:
            return paths
        folder = outside.strip("/") + "/"
        return [p for p in paths if not p.startswith(folder)]

    def tracked_files(self) -> set[str]:
        return set(self.out("ls-files").splitlines())

    def symlinks(self) -> list[str]:
        """The symlinks a build could pack: tracked ones (mode 120000), and untracked ones
        that .gitignore does not hide."""
        staged = self.out("ls-files", "-s", "-z").split("\0")
        tracked = [e.split("\t", 1)[1] for e in staged if e.startswith("120000 ")]
        others = self.out("ls-files", "-z", "--others", "--exclude-standard").split("\0")
        return tracked + [p for p in others if p and (self.root / p).is_symlink()]

    def rev_parse(self, *names: str) -> list[str]:
        """The object id of each name, in order."""
        return self.out("rev-parse", *names).split()

    def tag_object(self, tag: str) -> str | None:
        """The id the tag ref holds (the tag object of an annotated tag), None without it."""
        ref = f"refs/tags/{tag}"
        proc = self._run("rev-parse", "--verify", "-q", ref, check=False)
        return proc.stdout.strip() if proc.returncode == 0 else None

    def commit_of(self, tag: str) -> str:
        """The commit a tag points at, through an annotated tag's object."""
        return self.out("rev-parse", f"refs/tags/{tag}^{{commit}}")

    def tags_merged(self, pattern: str, *, among: list[str] | None = None) -> list[str]:
        """Tags matching a glob whose commit is reachable from HEAD; only those `among` the
        given names when set (git then walks back only to the oldest of them)."""
        refs = [f"refs/tags/{t}" for t in among] if among is not None else [_tag_refs(pattern)]
        if not refs:
            return []
        out = self.out("for-each-ref", "--merged=HEAD", "--format=%(refname:strip=2)", *refs)
        return out.splitlines()

    def nearest_tag(self, pattern: str) -> str | None:
        """A tag matching a glob reachable from HEAD, the first one a walk from HEAD meets (by
        commit date: `git describe --candidates=1`), None without one: a short walk."""
        proc = self._run(
            "describe", "--tags", "--abbrev=0", "--candidates=1", "--match", pattern, check=False
        )
        return proc.stdout.strip() or None if proc.returncode == 0 else None

    def history(self) -> list[str]:
        """Every commit reachable from HEAD as "time id parent...", newest first: one walk."""
        return self.out("rev-list", "--timestamp", "--parents", "HEAD").splitlines()

    def tags(self, pattern: str) -> list[str]:
        """Every tag matching a glob, reachable or not (cheap: no history walk)."""
        return self.out("for-each-ref", "--format=%(refname:strip=2)", _tag_refs(pattern)).split()

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

    def branches(self, remote: str, *, what: str) -> list[str]:
        """The branch names on a remote; one it cannot reach raises with git's own words."""
        heads = self._run("ls-remote", "--heads", remote, what=what).stdout
        return [
            line.split("refs/heads/", 1)[1]
            for line in heads.splitlines()
            if "\trefs/heads/" in line
        ]

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
    @classmethod
    def clone(
        cls, url: str, dest: Path, *, branch: str, auth: Auth | None = None, what: str
    ) -> Git:
        """A shallow clone of one branch into `dest` (its parent must exist)."""
        cls(dest.parent, auth)._run(
            "clone", "--quiet", "--depth", "1", "--branch", branch, url, str(dest), what=what
        )
        return cls(dest, auth)

    def commit(
        self, message: str, paths: list[str], *, author: tuple[str, str] | None = None
    ) -> str:
        """Commit `paths` (only those); `author`: (name, email) when the clone has no identity."""
        identity = (
            ["-c", f"user.name={author[0]}", "-c", f"user.email={author[1]}"] if author else []
        )
        self._run("add", "--", *paths)
        self._run(*identity, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths)
        return self.head()

    def checkout_paths(self, paths: list[str], rev: str = "HEAD") -> None:
        """Put these files back as `rev` has them."""
        self._run("checkout", rev, "--", *paths)

    def tag(
        self, name: str, message: str, *, sign_key: str | None = None, at: str = "HEAD"
    ) -> None:
        if sign_key:
            self._run("tag", "-s", "-u", sign_key, "-m", message, name, at)
        else:
            self._run("-c", "tag.gpgSign=false", "tag", "-a", "-m", message, name, at)

    def delete_tag(self, name: str) -> None:
        self._run("tag", "-d", name, check=False)

    def reset_soft(self, rev: str) -> None:
        """Move the branch to `rev`; the index and the work tree stay as they are."""
        self._run("reset", "--soft", "-q", rev)

    def unstage(self, paths: list[str], rev: str = "HEAD") -> None:
        """The index entries of these paths as `rev` has them (absent: removed); the work
        tree is not touched."""
        self._run("reset", "-q", rev, "--", *paths)

    def valid_ref(self, name: str) -> bool:
        return self._run("check-ref-format", name, check=False).returncode == 0

    def exists_at(self, rev: str, path: str) -> bool:
        return self._run("cat-file", "-e", f"{rev}:{path}", check=False).returncode == 0

    def fetch_branch(self, remote: str, branch: str) -> str:
        """Fetch a remote branch into refs/remotes/REMOTE/BRANCH; its commit."""
        ref = f"refs/remotes/{remote}/{branch}"
        self._run("fetch", "--quiet", remote, f"+refs/heads/{branch}:{ref}")
        return self.out("rev-parse", f"refs/remotes/{remote}/{branch}")

    def fast_forward(self, rev: str) -> None:
        self._run("merge", "--ff-only", "-q", rev)

    def merge(self, rev: str, message: str) -> bool:
        """Merge `rev` into HEAD with a merge commit; False (and nothing changed) on a
        conflict."""
        proc = self._run("merge", "--no-ff", "--no-edit", "-q", "-m", message, rev, check=False)
        if proc.returncode != 0:
            self._run("merge", "--abort", check=False)
            return False
        return True

    def push(
        self, remote: str, *refspecs: str, dry_run: bool = False, what: str | None = None
    ) -> None:
        """All refspecs or none (--atomic); `dry_run` asks for write access, changing nothing."""
        flags = ["--dry-run"] if dry_run else ["--quiet"]
        self._run("push", "--atomic", *flags, remote, *refspecs, what=what)


def _tag_refs(pattern: str) -> str:
    """The refs of tags matching `pattern`: every tag for "*", whose `*` would not cross the
    slash of a scoped npm package's tag (`@biomejs/biome@2.5.10`)."""
    return "refs/tags" if pattern == "*" else f"refs/tags/{pattern}"

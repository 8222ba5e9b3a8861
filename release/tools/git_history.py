"""The history as independent versioning reads it: every tag with its commit, and the commits
of a range with their parents, messages and changed paths, each in one git call whatever the
number of packages (one `git log` per package is what makes scripted set-ups slow)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from release.tools.git import Git
from release.tools.run import run

# A command line's length that every platform takes (Windows: 32,767 characters).
_MAX_ARGS = 24_000
# Control characters no message holds; not \x1c-\x1f, which str.strip() takes for spaces.
_RECORD, _FIELD = "\x02", "\x03"


@dataclass(frozen=True)
class LoggedCommit:
    id: str
    parents: tuple[str, ...]
    message: str
    paths: tuple[
        str, ...
    ]  # changed paths; none for a merge (git shows a merge's diff only on request)


def tag_commits(git: Git, *, merged: bool) -> dict[str, str]:
    """tag name -> the commit it points at (through annotated tags); with `merged`, only the
    tags reachable from HEAD (one walk for all of them)."""
    args = ["for-each-ref", "--format=%(refname:strip=2) %(objectname) %(*objectname)"]
    if merged:
        args.append("--merged=HEAD")
    found = {}
    for line in git.out(*args, "refs/tags").splitlines():
        name, _, objects = line.partition(" ")
        obj, _, peeled = objects.partition(" ")
        found[name] = peeled or obj
    return found


def reachable_tags(git: Git, tags: list[str]) -> set[str]:
    """Which of `tags` HEAD reaches, in one walk that stops once it has met them all: asked of
    a few tags near HEAD it reads a few commits, where `--merged` over every tag reads the
    history down to the oldest one."""
    if not tags:
        return set()
    patterns = [f"refs/tags/{tag}" for tag in tags]
    if sum(len(p) + 1 for p in patterns) > _MAX_ARGS:
        patterns = ["refs/tags"]  # the same walk, over every tag
    out = git.out("for-each-ref", "--merged=HEAD", "--format=%(refname:strip=2)", *patterns)
    return set(out.splitlines()) & set(tags)  # a pattern `a` would match `a/...` too


def merge_base(git: Git, commits: list[str]) -> str | None:
    """The newest commit every one of `commits` descends from (None: unrelated histories)."""
    if len(commits) == 1:
        return commits[0]
    proc = run(["git", "merge-base", "--octopus", *commits], cwd=git.root, check=False)
    return proc.stdout.strip() or None


def log(git: Git, *revisions: str) -> Iterator[LoggedCommit]:
    """Commits of `revisions` (e.g. `HEAD`, `^base`), children before parents."""
    text = git.out(
        "-c",
        "core.quotePath=false",
        "log",
        "--topo-order",
        "--no-renames",
        "--name-only",
        "--format=%x02%H%x03%P%x03%B%x03",
        *revisions,
        "--",
    )
    for record in text.split(_RECORD)[1:]:
        commit, parents, message, paths = record.split(_FIELD, 3)
        yield LoggedCommit(
            commit,
            tuple(parents.split()),
            message.strip(),
            tuple(line for line in paths.splitlines() if line),
        )


def object_ids(git: Git, specs: list[str]) -> dict[str, str | None]:
    """`rev:path` -> the object id there (None: no such path), for any number of specs in one
    `git cat-file --batch-check`."""
    if not specs:
        return {}
    proc = run(
        ["git", "cat-file", "--batch-check=%(objectname)"],
        cwd=git.root,
        input="".join(f"{spec}\n" for spec in specs),
    )
    answers = proc.stdout.splitlines()
    return {
        spec: None if answer.endswith(" missing") or " " in answer else answer
        for spec, answer in zip(specs, answers, strict=True)
    }

"""Synthetic git repositories with conventional commits, written with `git fast-import`
(100,000 commits in seconds). Used by bench_next.py; standard library only.

The history: an initial commit (with the peers' configuration), then commits of a realistic
mix of types, scopes, bodies and footers, merges of short side branches, and `--tags` release
tags spread evenly, each version following the commits before it. After the last tag comes a
fixed tail of 40 commits (so the work since the last release is the same at every size) whose
next version is known and written to .git/bench-expected. Traps on request: release-candidate
tags with higher versions on an unmerged side branch, and tags of another format; the shape of
real histories: a long unreleased span (`tail`: 1,000 commits since the last tag, as nuxt/nuxt
had) and another repository merged in with its own release tags (`merged`).
"""

from __future__ import annotations

import argparse
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TYPES = ["feat"] * 3 + ["fix"] * 5 + ["docs", "chore", "refactor", "test", "perf", "ci", "build"]
SCOPES = ["api", "cli", "core", "db", "parser", "ui", "auth", "deps"]
WORDS = [
    "add",
    "remove",
    "handle",
    "support",
    "speed",
    "up",
    "rename",
    "cache",
    "retry",
    "validate",
    "parse",
    "render",
]
PEER_CONFIG = """[tool.commitizen]
name = "cz_conventional_commits"
version_provider = "scm"
tag_format = "v$version"

[tool.semantic_release]
tag_format = "v{version}"
commit_parser = "conventional"
allow_zero_version = false

[tool.semantic_release.branches.main]
match = "main"
"""
TAIL = 40
START = 1_600_000_000


@dataclass
class Stream:
    parts: list[str] = field(default_factory=list)
    mark: int = 0
    clock: int = START

    def blob_commit(self, ref: str, message: str, parents: list[int], files: dict[str, str]) -> int:
        self.mark += 1
        self.clock += 97
        who = f"Bench <bench@example.test> {self.clock} +0000"
        data = message.encode()
        out = [f"commit {ref}", f"mark :{self.mark}", f"author {who}", f"committer {who}"]
        out.append(f"data {len(data)}")
        self.parts.append("\n".join(out) + "\n" + message + "\n")
        if parents:
            self.parts.append(f"from :{parents[0]}\n")
        for parent in parents[1:]:
            self.parts.append(f"merge :{parent}\n")
        for path, text in files.items():
            body = text.encode()
            self.parts.append(f"M 644 inline {path}\ndata {len(body)}\n{text}\n")
        return self.mark

    def write(self, dest: Path) -> None:
        """A new repository at `dest` holding the stream (branches and tags, no checkout)."""
        subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
        subprocess.run(
            ["git", "fast-import", "--quiet"],
            cwd=dest,
            input="".join(self.parts).encode(),
            check=True,
        )

    def tag(self, name: str, mark: int) -> None:
        who = f"Bench <bench@example.test> {self.clock} +0000"
        self.parts.append(f"tag {name}\nfrom :{mark}\ntagger {who}\ndata {len(name)}\n{name}\n")


def message(rnd: random.Random, i: int, *, kind: str | None = None, breaking: bool = False) -> str:
    kind = kind or rnd.choice(TYPES)
    scope = f"({rnd.choice(SCOPES)})" if rnd.random() < 0.7 else ""
    subject = f"{kind}{scope}: {rnd.choice(WORDS)} {rnd.choice(WORDS)} #{i}"
    parts = [subject]
    if rnd.random() < 0.3:
        parts.append(f"Longer explanation of change {i}.\nIt spans two lines.")
    footers = []
    if rnd.random() < 0.2:
        footers.append(f"Refs: #{rnd.randint(1, 5000)}")
    if breaking:
        footers.append(f"BREAKING CHANGE: interface {i} changed")
    if footers:
        parts.append("\n".join(footers))
    return "\n\n".join(parts)


def generate(
    dest: Path,
    commits: int,
    tags: int,
    seed: int,
    side_rc: int,
    foreign: int,
    *,
    tail: int = TAIL,
    merged: int = 0,
) -> str:
    rnd = random.Random(seed)
    stream = Stream()
    main = stream.blob_commit(
        "refs/heads/main", "chore: start", [], {"pyproject.toml": PEER_CONFIG, "f0.txt": "0\n"}
    )
    version = [1, 0, 0]
    stream.tag("v1.0.0", main)
    level = 0  # 0 none, 1 patch, 2 minor, 3 major since the last tag
    body = commits - tail - 1 - merged
    every = max(body // max(tags, 1), 1)
    made_tags = 1
    i = 1
    while i <= body:
        if merged and i == body // 2:  # another repository's history, merged in with its tags
            main = _merge_repository(stream, rnd, main, merged)
        if rnd.random() < 0.02 and i + 3 < body:  # a short side branch, merged with --no-ff
            side = main
            for _ in range(2):
                text = message(rnd, i)
                level = max(level, _level(text))
                side = stream.blob_commit(
                    f"refs/heads/side{i}", text, [side], {f"side{i % 7}.txt": f"{i}\n"}
                )
                i += 1
            main = stream.blob_commit(
                "refs/heads/main", f"Merge branch 'side{i}'", [main, side], {}
            )
            i += 1
            continue
        text = message(rnd, i, breaking=rnd.random() < 0.0005)
        level = max(level, _level(text))
        main = stream.blob_commit("refs/heads/main", text, [main], {f"f{i % 50}.txt": f"{i}\n"})
        if rnd.random() < 0.003:
            main = stream.blob_commit("refs/heads/main", f"WIP {i}", [main], {"wip.txt": f"{i}\n"})
        if i % every == 0 and made_tags < tags and level:
            version = _bump(version, level)
            level = 0
            stream.tag("v{}.{}.{}".format(*version), main)
            made_tags += 1
        i += 1
    if level:  # the last tag sits right before the tail
        version = _bump(version, level)
        stream.tag("v{}.{}.{}".format(*version), main)
    last_release = main
    for j in range(tail):  # the tail: fixes and docs, one feature, no breaking change
        kind = "feat" if j == tail // 2 else rnd.choice(["fix", "docs", "chore", "fix", "test"])
        main = stream.blob_commit(
            "refs/heads/main", message(rnd, body + j, kind=kind), [main], {"tail.txt": f"{j}\n"}
        )
    expected = _bump(version, 2)
    rc_base = last_release
    for n in range(side_rc):  # higher versions, never merged: must not count
        rc_base = stream.blob_commit(
            "refs/heads/next", f"feat!: next major {n}", [rc_base], {"next.txt": f"{n}\n"}
        )
        stream.tag(f"v{version[0] + 1}.0.0-rc.{n + 1}", rc_base)
    for n in range(foreign):  # another package's tags on main
        stream.tag(f"pkg@{90 + n}.0.0", main if n % 2 else last_release)
    stream.write(dest)
    for args in (
        ["checkout", "-q", "-f", "main"],
        ["remote", "add", "origin", "https://github.com/bench/bench.git"],
        ["gc", "-q"],
        ["commit-graph", "write", "--reachable"],
    ):
        subprocess.run(["git", *args], cwd=dest, check=True)
    answer = "{}.{}.{}".format(*expected)
    (dest / ".git" / "bench-expected").write_text(answer + "\n")
    return answer


def _merge_repository(stream: Stream, rnd: random.Random, main: int, commits: int) -> int:
    """`commits` of another project (its own root, its own v0.x release tags in the same
    format, lower than ours) merged into main: a monorepo that absorbed a repository."""
    other = stream.blob_commit("refs/heads/absorbed", "chore: other start", [], {"o/f.txt": "0\n"})
    for n in range(1, commits):
        text = message(rnd, n)
        other = stream.blob_commit("refs/heads/absorbed", text, [other], {"o/f.txt": f"{n}\n"})
        if n % 50 == 0:
            stream.tag(f"v0.{n // 50}.0", other)
    return stream.blob_commit("refs/heads/main", "Merge the absorbed repository", [main, other], {})


def _level(text: str) -> int:
    head = text.split("\n", 1)[0]
    if "BREAKING CHANGE:" in text or head.split(":")[0].endswith("!"):
        return 3
    if head.startswith("feat"):
        return 2
    if head.startswith(("fix", "perf")):
        return 1
    return 0


def _bump(version: list[int], level: int) -> list[int]:
    major, minor, patch = version
    if level == 3:
        return [major + 1, 0, 0]
    if level == 2:
        return [major, minor + 1, 0]
    return [major, minor, patch + 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--tags", type=int, default=200)
    parser.add_argument("--side-rc-tags", type=int, default=0)
    parser.add_argument("--foreign-tags", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tail", type=int, default=TAIL, help="commits since the last tag")
    parser.add_argument("--merged", type=int, default=0, help="commits of a merged-in repo")
    args = parser.parse_args()
    expected = generate(
        args.dest,
        args.commits,
        args.tags,
        args.seed,
        args.side_rc_tags,
        args.foreign_tags,
        tail=args.tail,
        merged=args.merged,
    )
    print(expected)


if __name__ == "__main__":
    main()

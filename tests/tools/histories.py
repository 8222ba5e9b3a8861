"""Generated histories with maintenance lines, for comparing the split changelog with one
git-cliff run: each minor line is released on main, patched on its own branch while main
tags the next line's prereleases (interleaved in time), and sometimes merged back."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from gen_repo import Stream, message  # noqa: E402


def maintained(dest: Path, seed: int, lines: int = 7) -> list[str]:
    """Write the history into `dest`; returns its tags in the order they were made."""
    rnd = random.Random(seed)
    stream = Stream()
    n = 0

    def commit(ref: str, parents: list[int], kind: str | None = None) -> int:
        nonlocal n
        n += 1
        files = {f"f{n % 9}.txt": f"{n}\n"}
        return stream.blob_commit(ref, message(rnd, n, kind=kind), parents, files)

    tags: list[str] = []

    def tag(name: str, mark: int) -> None:
        stream.tag(name, mark)
        tags.append(name)

    main = stream.blob_commit("refs/heads/main", "chore: start", [], {"f.txt": "0\n"})
    for minor in range(lines):
        for _ in range(rnd.randint(1, 4)):
            main = commit("refs/heads/main", [main])
        tag(f"v3.{minor}.0", main)
        branch, maint = f"refs/heads/v3.{minor}.x", main
        patch = alpha = 0
        for _ in range(rnd.randint(3, 9)):  # the older line's patches beside the prereleases
            if rnd.random() < 0.5:
                maint = commit(branch, [maint], kind="fix")
                if rnd.random() < 0.7:
                    patch += 1
                    tag(f"v3.{minor}.{patch}", maint)
            else:
                main = commit("refs/heads/main", [main])
                if rnd.random() < 0.5 and minor + 1 < lines:
                    alpha += 1
                    tag(f"v3.{minor + 1}.0-alpha.{alpha}", main)
            if rnd.random() < 0.1:
                tag(f"nightly-{n}", main)  # a tag of no release format
        if rnd.random() < 0.6 and maint != main:  # the maintenance line merged back
            main = stream.blob_commit(
                "refs/heads/main", f"Merge branch 'v3.{minor}.x'", [main, maint], {}
            )
    for _ in range(rnd.randint(0, 3)):  # unreleased commits, or none
        main = commit("refs/heads/main", [main])
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=dest,
        input="".join(stream.parts).encode(),
        check=True,
    )
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True)
    return tags


SIGNED = "\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n"


def tangled(dest: Path, seed: int, *, skew: bool = False) -> None:
    """A history with what decides where one git-cliff run puts a commit: release commits
    the parsers skip carrying the tag, commits of the same second (rebased series), side
    branches merged back, maintenance lines tagged among the next line's prereleases,
    another repository merged in with its own tags, two tags on one commit, lightweight and
    annotated tags (messages with a signature block), non-conventional commits; `skew`:
    commits older than their parents."""
    rnd = random.Random(seed)
    stream = Stream()
    n = 0

    def commit(ref: str, parents: list[int], text: str | None = None) -> int:
        nonlocal n
        n += 1
        roll = rnd.random()
        if roll < 0.2:
            stream.clock -= 97  # the same second as the commit before
        elif skew and roll < 0.25:
            stream.clock -= 97 * rnd.randint(2, 6)  # committed "before" its parent
        if text is None:
            text = "Update docs" if rnd.random() < 0.1 else message(rnd, n)
        return stream.blob_commit(ref, text, parents, {f"f{n % 7}.txt": f"{n}\n"})

    def tag(name: str, mark: int) -> None:
        if rnd.random() < 0.4:  # lightweight
            stream.parts.append(f"reset refs/tags/{name}\nfrom :{mark}\n\n")
            return
        text = f"Release {name}\n\nNotes for {name}.\n" + (SIGNED if rnd.random() < 0.5 else "")
        who = f"Bench <bench@example.test> {stream.clock} +0000"
        data = text.encode()
        stream.parts.append(f"tag {name}\nfrom :{mark}\ntagger {who}\ndata {len(data)}\n{text}\n")

    main = commit("refs/heads/main", [], "chore: start")
    for minor in range(rnd.randint(3, 7)):
        for _ in range(rnd.randint(1, 5)):
            if rnd.random() < 0.2:  # a side branch merged with --no-ff
                side = commit("refs/heads/side", [main])
                side = commit("refs/heads/side", [side])
                main = commit("refs/heads/main", [main])
                main = commit("refs/heads/main", [main, side], "Merge branch 'side'")
            else:
                main = commit("refs/heads/main", [main])
        release = rnd.random() < 0.5
        if release:  # the tag on a commit the parsers skip
            main = commit("refs/heads/main", [main], f"chore(release): v2.{minor}.0")
        tag(f"v2.{minor}.0", main)
        if rnd.random() < 0.15:
            tag(f"v2.{minor}.0-final", main)  # a second tag on the same commit
        branch, maint = f"refs/heads/v2.{minor}.x", main
        patch = alpha = 0
        for _ in range(rnd.randint(0, 5)):
            if rnd.random() < 0.5:
                maint = commit(branch, [maint], f"fix: patch {n} of 2.{minor}")
                if rnd.random() < 0.6:
                    patch += 1
                    tag(f"v2.{minor}.{patch}", maint)
            else:
                main = commit("refs/heads/main", [main])
                if rnd.random() < 0.4:
                    alpha += 1
                    tag(f"v2.{minor + 1}.0-alpha.{alpha}", main)
        if rnd.random() < 0.5 and maint != main:
            main = commit("refs/heads/main", [main, maint], f"Merge branch 'v2.{minor}.x'")
        if rnd.random() < 0.2:  # another repository, merged in with its tags
            other = commit(f"refs/heads/other{minor}", [], "feat: other start")
            for k in range(rnd.randint(1, 4)):
                other = commit(f"refs/heads/other{minor}", [other])
                if rnd.random() < 0.5:
                    tag(f"v0.{minor}.{k}", other)
            main = commit("refs/heads/main", [main, other], "Merge the other repository")
    for _ in range(rnd.randint(0, 3)):
        main = commit("refs/heads/main", [main])
    stream.write(dest)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True)

"""bench/RESULTS.md: the headline figures of every benchmark, read from their result files
(which hold the full tables, the method and the versions)."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rows(path: Path) -> dict[str, list[list[str]]]:
    """Section title -> the table rows (cells) under it."""
    found: dict[str, list[list[str]]] = {}
    section = ""
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("| ") and not line.startswith("| ---"):
            found.setdefault(section, []).append(
                [c.strip().strip("`") for c in line.strip("|").split("|")]
            )
    return found


def tables(path: Path) -> list[list[str]]:
    """Every markdown table of a file, as its lines."""
    found: list[list[str]] = []
    inside = False
    for line in path.read_text().splitlines():
        if line.startswith("|"):
            if not inside:
                found.append([])
            found[-1].append(line)
        inside = line.startswith("|")
    return found


def label(section: str) -> str:
    """`10,000 commits, 200 release tags, ...` -> `10,000 commits`."""
    match = re.match(r"^([\d,]+ commits)", section)
    return match.group(1) if match else section


def first_line(path: Path, prefix: str) -> str:
    return next((line for line in path.read_text().splitlines() if line.startswith(prefix)), "")


def main() -> None:
    lines = ["# Benchmark results", ""]
    machine = first_line(HERE / "RESULTS-next.md", "Machine:")
    versions = first_line(HERE / "RESULTS-next.md", "Versions:")
    lines += [machine, "", versions, "", "Each figure links to its full table and method.", ""]
    paired = HERE / "RESULTS-paired.md"
    if paired.is_file():  # measured by hand, side by side on a loaded machine
        lines += ["## Side by side with commitizen ([RESULTS-paired.md](RESULTS-paired.md))", ""]
        for table in tables(paired):
            lines += [*table, ""]
    lines += ["## `release next` ([RESULTS-next.md](RESULTS-next.md))", ""]
    lines += ["| repository | release next s | cz × | psr × | git-cliff (wrong answer) × |"]
    lines += ["| --- | ---: | ---: | ---: | ---: |"]
    for section, table in rows(HERE / "RESULTS-next.md").items():
        data = {r[0]: r for r in table[1:]}
        ours = data["release next"][1]
        ratio = {k.split()[0]: data[k][-1] for k in data}
        lines.append(
            f"| {label(section)} | {ours} | {ratio.get('cz', '?')} | "
            f"{ratio.get('semantic-release', '?')} | {ratio.get('git-cliff', '?')} |"
        )
    lines += ["", "## Full changelog and verify ([RESULTS-changelog.md](RESULTS-changelog.md))", ""]
    lines += [
        "Cold: the cache of released ranges cleared before each run; warm: a second "
        "regeneration. The text is byte for byte git-cliff's single run. Verify: the plan.",
        "",
        "| repository | ours cold s | ours warm s | git-cliff once s | cz s | psr s | verify s |",
    ]
    lines += ["| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    text = (HERE / "RESULTS-changelog.md").read_text()
    for section, table in rows(HERE / "RESULTS-changelog.md").items():
        data = {r[0]: r[1] for r in table[1:]}
        block = text.split(f"## {section}", 1)[1]
        verify = re.search(r"median ([0-9.]+) s", block)
        lines.append(
            f"| {label(section)} | {data['release changelog (cold)']} | "
            f"{data['release changelog (warm)']} | {data['git-cliff -o - (one run)']} | "
            f"{data['cz changelog --dry-run']} | {data['semantic-release --noop changelog']} | "
            f"{verify.group(1) if verify else '?'} |"
        )
    for name, title in (
        ("RESULTS-crates.md", "Publish order of 200 crates"),
        ("RESULTS-hash.md", "SHA-256 of 1 GiB"),
        ("RESULTS-cut.md", "A whole cut with 200 ms per request"),
    ):
        lines += ["", f"## {title} ([{name}]({name}))", ""]
        lines += tables(HERE / name)[-1]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

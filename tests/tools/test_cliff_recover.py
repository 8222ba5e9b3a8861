"""The whole changelog of a history with commits whose message is not valid UTF-8: git-cliff
reads them as no message; the changelog must show them as one run shows a twin history whose
messages are git's reading of them (invalid bytes as U+FFFD), in the same releases and places,
on the tag-less path, on a config it does not take (`ignore_tags`: one run's context) and where
a preprocessor could change the mark (found from git's walk instead)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release.base.versioning import TagFormat
from release.commands.changelog import changelog_text
from release.tools import cliff, cliff_recover, cliff_whole

from ..conftest import run_release

FMT = TagFormat("v{version}")
DEFAULT = cliff.default_config().read_text(encoding="utf-8")
# (name, parents, message, tag): a side branch merged back, a breaking change in a body, a
# message the parsers skip, a non-conventional one, one on the tagged commit, two alike.
Step = tuple[str, list[str], bytes, str | None]
HISTORY: list[Step] = [
    ("a", [], b"feat: one\n", "v1.0.0"),
    ("b", ["a"], b"fix: two\n", None),
    ("c", ["b"], b"feat(ui)!: caf\xe9 menu\n\nbody \xff\n\nBREAKING CHANGE: \xe9 gone\n", None),
    ("d", ["b"], b"fix(side): \xe9 on a side branch\n", None),
    ("m", ["c", "d"], b"Merge branch 'side'\n", None),
    ("e", ["m"], b"chore(release): \xe9 skipped by a parser\n", None),
    ("f", ["e"], b"fix: \xe9 alike\n", "v1.1.0"),
    ("g", ["f"], b"not conventional \xe9\n", None),
    ("h", ["g"], b"feat: \xe9 newest\n", None),
    ("i", ["h"], b"fix: \xe9 alike\n", None),
    ("j", ["i"], b"feat: four\n", None),
]
# Every field a template may read of a commit, its id, author and committer among them.
FIELDS = DEFAULT.replace(
    "{{ commit.message | upper_first }}",
    "{{ commit.message | upper_first }} | {{ commit.id }} {{ commit.author.name }} "
    "<{{ commit.author.email }}> {{ commit.author.timestamp }} {{ commit.committer.name }} "
    "{{ commit.committer.timestamp }} {{ commit.merge_commit }} {{ commit.breaking }} "
    "{{ commit.raw_message | json_encode() }} {{ commit.body | json_encode() }} "
    "{{ commit.conventional }} {{ commit.links | length }} "
    "{{ commit.footers | json_encode() }}",
)
NEWEST = DEFAULT.replace('sort_commits = "oldest"', 'sort_commits = "newest"')
IGNORED = DEFAULT.replace("[git]\n", '[git]\nignore_tags = "v1.0.0"\n', 1)
# non-conventional commits kept: they count apart in a release's statistics
KEEP_ALL = IGNORED.replace("filter_unconventional = true", "filter_unconventional = false")
IGNORED_NEWEST = NEWEST.replace("[git]\n", '[git]\nignore_tags = "v1.0.0"\n', 1)
IGNORED_FIELDS = FIELDS.replace("[git]\n", '[git]\nignore_tags = "v1.0.0"\n', 1)
# templates over every release, the release before, a commit's diff statistics
FRAMED = (
    KEEP_ALL.replace("# Changelog\n", "# Changelog ({{ releases | length }} releases)\n")
    .replace(
        "{% else -%}\n## [Unreleased]",
        "after {{ previous.version | default(value='-') }}\n{% else -%}\n## [Unreleased]",
    )
    .replace(
        "{{ commit.message | upper_first }}",
        "{{ commit.message | upper_first }} +{{ commit.statistics.additions }}"
        " {{ statistics.commit_count }} {{ statistics.conventional_commit_count }}",
    )
)
SKIPPED = DEFAULT.replace("[git]\n", '[git]\nskip_tags = "v1.1.0"\n', 1)
# a preprocessor that could change the mark (it does not change any message here)
UNMARKABLE = DEFAULT.replace(
    "[git]\n",
    '[git]\ncommit_preprocessors = [{ pattern = "unreadable", replace = "unreadable" }]\n',
)


def _git(repo: Path, *args: str, data: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True, check=True)
    return done.stdout.decode().strip()


def build(repo: Path, readable: bool, history: list[Step] | None = None) -> dict[str, str]:
    """`history` (HISTORY) as commit objects written by hand, the bytes kept; `readable`:
    each message as git reads it instead. Its ids by name."""
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    tree = _git(repo, "mktree", data=b"")
    ids: dict[str, str] = {}
    steps = history or HISTORY
    for number, (name, parents, message, tag) in enumerate(steps):
        when = 1_700_000_000 + number * 60
        head = f"tree {tree}\n" + "".join(f"parent {ids[p]}\n" for p in parents)
        head += f"author Ann <ann@example.test> {when} +0000\n"
        head += f"committer Cid <cid@example.test> {when} +0000\n\n"
        text = message.decode("utf-8", errors="replace").encode() if readable else message
        raw = head.encode() + text
        ids[name] = _git(repo, "hash-object", "-t", "commit", "-w", "--stdin", data=raw)
        if tag:
            _git(repo, "tag", "-a", "-m", f"release {tag}", tag, ids[name])
    _git(repo, "update-ref", "refs/heads/main", ids[steps[-1][0]])
    return ids


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The history with unreadable messages, its readable twin, and each twin id's twin."""
    root = tmp_path_factory.mktemp("twins")
    broken, readable = build(root / "broken", False), build(root / "readable", True)
    return root / "broken", root / "readable", {readable[n]: broken[n] for n in broken}


def one_run(repo: Path, text: str, ids: dict[str, str]) -> str:
    """One git-cliff run over the readable twin, its ids written as the broken history's."""
    config = repo / "cliff.toml"
    config.write_text(text, encoding="utf-8")
    out = cliff.render(repo, config, rev_range=None, tag_pattern=FMT.regex)
    for twin, oid in ids.items():
        out = out.replace(twin, oid)
    return out


@pytest.mark.parametrize("variant", ["default", "fields", "newest", "keep_all"])
def test_the_tag_less_path_shows_them_as_one_run_of_the_readable_twin(
    twins: tuple[Path, Path, dict[str, str]], variant: str
) -> None:
    broken, readable, ids = twins
    keep_all = DEFAULT.replace("filter_unconventional = true", "filter_unconventional = false")
    text = {"default": DEFAULT, "fields": FIELDS, "newest": NEWEST, "keep_all": keep_all}[variant]
    config = broken / "cliff.toml"
    config.write_text(text, encoding="utf-8")
    found = cliff_whole.whole_changelog(broken, config, FMT.regex)
    assert found is not None  # this path took them
    assert found == one_run(readable, text, ids)
    assert "af\ufffd menu" in found and "\ufffd skipped" not in found


@pytest.mark.parametrize(
    "text",
    [IGNORED, IGNORED_NEWEST, IGNORED_FIELDS, FRAMED, SKIPPED, UNMARKABLE],
    ids=["ignore_tags", "ignore_tags-newest", "fields", "framed", "skip_tags", "unmarkable"],
)
def test_the_other_paths_show_them_too(twins: tuple[Path, Path, dict[str, str]], text: str) -> None:
    broken, readable, ids = twins
    config = broken / "cliff.toml"
    config.write_text(text, encoding="utf-8")
    assert cliff_whole.whole_changelog(broken, config, FMT.regex) is None
    assert changelog_text(broken, unreleased=False) == one_run(readable, text, ids)


def test_release_changelog_shows_them_in_their_release(
    twins: tuple[Path, Path, dict[str, str]],
) -> None:
    broken, readable, ids = twins
    (broken / "cliff.toml").unlink(missing_ok=True)
    shown = run_release(broken, "changelog")
    assert shown.code == 0, shown.err
    assert shown.out == one_run(readable, DEFAULT, ids)
    released = shown.out.split("## [1.1.0]")[1].split("## [1.0.0]")[0]
    assert "**ui:** [**breaking**] Caf\ufffd menu" in released
    assert "**side:** \ufffd on a side branch" in released
    unreleased = shown.out.split("## [1.1.0]")[0]
    assert unreleased.index("\ufffd newest") < unreleased.index("\ufffd alike")
    kept = list((broken / ".git" / "release-toolkit" / "changelog-cache").glob("parse-*"))
    assert kept  # the next run reads the released history's parse, marks and all
    assert run_release(broken, "changelog").out == shown.out


def test_a_readable_empty_message_is_left_to_one_run(tmp_path: Path) -> None:
    """A commit made with an empty message is marked too; git's bytes say it is readable,
    and one run's parse of '' decides."""
    repo = tmp_path / "empty"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for message in ("feat: one", "", "fix: two"):
        _git(repo, "commit", "-q", "--allow-empty", "--allow-empty-message", "-m", message)
        if message == "feat: one":
            _git(repo, "tag", "v1.0.0")
    config = repo / "cliff.toml"
    config.write_text(DEFAULT.replace("filter_unconventional = true", ""), encoding="utf-8")
    assert cliff_recover.unreadable_ids(repo) == []
    assert cliff_whole.whole_changelog(repo, config, FMT.regex) is None
    one = cliff.render(repo, config, rev_range=None, tag_pattern=FMT.regex)
    assert changelog_text(repo, unreleased=False) == one


def test_many_of_them_some_skipped(tmp_path: Path) -> None:
    """More than one git-cliff command line of messages, the parsers skipping some of them:
    each still gets its own parse."""
    steps: list[Step] = [("s0", [], b"feat: start\n", "v1.0.0")]
    for number in range(1, 150):
        kind = "chore(release)" if number % 7 == 0 else ("fix" if number % 2 else "feat")
        message = f"{kind}: \xe9 {number}\n".encode("latin-1")
        steps.append(
            (f"s{number}", [f"s{number - 1}"], message, "v2.0.0" if number == 90 else None)
        )
    broken, readable = tmp_path / "broken", tmp_path / "readable"
    twins = build(readable, True, steps)
    ids = {twins[name]: oid for name, oid in build(broken, False, steps).items()}
    found = cliff_whole.whole_changelog(broken, cliff.default_config(), FMT.regex)
    assert found is not None
    assert found == one_run(readable, DEFAULT, ids)
    assert found.count("\ufffd") == 150 - 1 - 149 // 7


# parsers as an array of tables: the mark cannot be written into the text, the copy takes it
TABLES = """[changelog]
body = \"\"\"{% for group, commits in commits | group_by(attribute="group") %}### {{ group }}
{% for commit in commits %}- {{ commit.message }} {{ commit.id }}
{% endfor %}{% endfor %}\"\"\"

[git]
conventional_commits = true
filter_unconventional = true
[[git.commit_parsers]]
message = "^feat"
group = "Features"
[[git.commit_parsers]]
message = "^chore"
skip = true
[[git.commit_parsers]]
message = "^fix"
group = "Fixes"
"""


@pytest.mark.parametrize("text", [DEFAULT, FIELDS, TABLES], ids=["default", "fields", "tables"])
def test_the_mark_is_written_into_the_text_where_it_surely_can_be(
    twins: tuple[Path, Path, dict[str, str]], text: str
) -> None:
    from release.base._toml import tomllib

    data = tomllib.loads(text)
    edited = cliff_recover.mark_text(text, data)
    if text is TABLES:
        assert edited is None
    else:
        assert edited is not None
        marked = tomllib.loads(edited)["git"]
        assert marked["commit_preprocessors"][0]["replace"] == cliff_recover.MARK
        assert marked["commit_parsers"][1:] == data["git"]["commit_parsers"]
    broken, readable, ids = twins
    config = broken / "cliff.toml"
    config.write_text(text, encoding="utf-8")
    assert cliff_whole.whole_changelog(broken, config, FMT.regex) == one_run(readable, text, ids)


def test_the_other_paths_read_only_the_messages_since_the_last_run(tmp_path: Path) -> None:
    """Where the tag-less path gives way, git's walk of every message is read once; the next
    run reads the commits since, and finds a new unreadable one there."""
    broken, readable = tmp_path / "broken", tmp_path / "readable"
    ids = {
        twin: oid
        for (_, twin), oid in zip(
            build(readable, True).items(), build(broken, False).values(), strict=True
        )
    }
    for repo in (broken, readable):
        (repo / "cliff.toml").write_text(IGNORED, encoding="utf-8")
    assert run_release(broken, "changelog").out == one_run(readable, IGNORED, ids)
    kept = broken / ".git" / "release-toolkit" / "changelog-cache" / "unreadable.txt"
    assert kept.read_text().split()[0] == _git(broken, "rev-parse", "HEAD")
    for repo in (broken, readable):  # one more, on top
        head = _git(repo, "rev-parse", "HEAD")
        tree = _git(repo, "rev-parse", "HEAD^{tree}")
        raw = f"tree {tree}\nparent {head}\nauthor Ann <ann@example.test> 1700009000 +0000\n"
        raw += "committer Cid <cid@example.test> 1700009000 +0000\n\n"
        message = b"fix: \xe9 since the last run\n"
        body = message.decode("utf-8", errors="replace").encode() if repo == readable else message
        oid = _git(repo, "hash-object", "-t", "commit", "-w", "--stdin", data=raw.encode() + body)
        _git(repo, "update-ref", "refs/heads/main", oid)
    twin, new = _git(readable, "rev-parse", "HEAD"), _git(broken, "rev-parse", "HEAD")
    ids[twin] = new
    shown = run_release(broken, "changelog").out
    assert "\ufffd since the last run" in shown
    assert shown == one_run(readable, IGNORED, ids)
    assert kept.read_text().split()[0] == new


@pytest.mark.parametrize("text", [DEFAULT, IGNORED], ids=["tag-less", "one-run"])
def test_cliffignore_keeps_one_out(tmp_path: Path, text: str) -> None:
    """git-cliff skips what .cliffignore lists before anything else: an unreadable commit
    listed there stays out, on every path."""
    broken, readable = tmp_path / "broken", tmp_path / "readable"
    twin, own = build(readable, True), build(broken, False)
    ids = {twin[name]: own[name] for name in own}
    for repo, listed in ((broken, own), (readable, twin)):
        (repo / ".cliffignore").write_text(f"# not this one\n{listed['h']}\n", encoding="utf-8")
        (repo / "cliff.toml").write_text(text, encoding="utf-8")
    shown = changelog_text(broken, unreleased=False)
    assert "\ufffd newest" not in shown and "\ufffd alike" in shown
    assert shown == one_run(readable, text, ids)


@pytest.mark.parametrize("text", [DEFAULT, IGNORED], ids=["tag-less", "one-run"])
def test_the_only_commit_after_the_last_tag(tmp_path: Path, text: str) -> None:
    """One run has no unreleased section of its own to put it in: it gets one."""
    steps: list[Step] = [
        ("a", [], b"feat: one\n", "v1.0.0"),
        ("b", ["a"], b"fix: two\n", "v1.0.1"),
        ("c", ["b"], b"fix: \xe9 after the last tag\n", None),
    ]
    broken, readable = tmp_path / "broken", tmp_path / "readable"
    twin, own = build(readable, True, steps), build(broken, False, steps)
    (broken / "cliff.toml").write_text(text, encoding="utf-8")
    shown = changelog_text(broken, unreleased=False)
    assert shown.index("[Unreleased]") < shown.index("\ufffd after the last tag")
    assert shown == one_run(readable, text, {twin[name]: own[name] for name in own})

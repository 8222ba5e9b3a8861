"""The whole changelog from one tag-less parse and a render of the releases we build, against
one git-cliff run over the same tags, byte for byte, on generated histories with everything
that decides where one run puts a commit (tests/tools/histories.py: `tangled`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from release.base.versioning import TagFormat
from release.commands.changelog import changelog_text
from release.tools import cliff, cliff_context, cliff_whole

from .histories import tangled

FMT = TagFormat("v{version}")
DEFAULT = cliff.default_config().read_text(encoding="utf-8")
# Header and footer templates that see every release, a body that reads the tag's message
# and each commit's body, footers and breaking flag, a postprocessor.
FRAMED = (
    DEFAULT.replace(
        'footer = ""',
        'footer = """\n{% for r in releases %}[{{ r.version | default(value="next") }}]: '
        '{{ r.commits | length }} {{ r.timestamp }}\n{% endfor %}"""\n'
        'postprocessors = [{ pattern = "Speed", replace = "SPEED" }]',
    )
    .replace(
        "# Changelog\n",
        "# Changelog ({{ releases | length }} releases)\n",
    )
    .replace(
        "{% else -%}\n## [Unreleased]",
        "{{ message | default(value='') }}\n{% else -%}\n## [Unreleased]",
    )
    .replace(
        "{{ commit.message | upper_first }}",
        "{{ commit.message | upper_first }} ({{ commit.footers | length }}, "
        "{{ commit.body | default(value='') | length }}, {{ commit.id | truncate(length=7) }})",
    )
)
NEWEST = DEFAULT.replace('sort_commits = "oldest"', 'sort_commits = "newest"')
# A plain-text footer and a postprocessor: rendered in groups, joined.
PLAIN = DEFAULT.replace(
    'footer = ""',
    'footer = "<!-- generated -->"\n'
    'postprocessors = [{ pattern = "#(\\\\d+)", replace = "(#$1)" }]',
)
# The release before: its version, time and tag message (a release the parsers left empty
# is one too).
LINKED = DEFAULT.replace(
    "{% else -%}\n## [Unreleased]",
    "after {{ previous.version | default(value='-') }} "
    "{{ previous.timestamp | default(value=0) }} {{ previous.message | default(value='') }}\n"
    "{% else -%}\n## [Unreleased] after {{ previous.version | default(value='-') }}",
)
# Every field of a commit the template may read (those the render computes again from the
# raw message, and those it reads back from the parse), with links, a parser's default scope
# and a preprocessor deciding some of them.
FIELDS = (
    DEFAULT.replace(
        "{{ commit.message | upper_first }}",
        "{{ commit.message | upper_first }} | {{ commit.id }} {{ commit.author.name }} "
        "<{{ commit.author.email }}> {{ commit.author.timestamp }} {{ commit.committer.name }} "
        "<{{ commit.committer.email }}> {{ commit.committer.timestamp }} {{ commit.merge_commit }} "
        "{{ commit.conventional }} {{ commit.breaking_description | default(value='') }} "
        "{{ commit.raw_message | json_encode() }} {{ commit.extra | json_encode() }} "
        "{{ commit.body | json_encode() }} {{ commit.footers | json_encode() }} "
        "{% for link in commit.links %}[{{ link.text }}]({{ link.href }}) {% endfor %}",
    )
    .replace(
        '{ message = "^fix", group = "<!-- 1 -->Bug Fixes" }',
        '{ message = "^fix", group = "<!-- 1 -->Bug Fixes", default_scope = "core" }',
    )
    .replace(
        "[git]\n",
        "[git]\nlink_parsers = [{ pattern = '#(\\d+)', href = 'https://t.test/$1', "
        "text = 'issue $1' }]\n"
        "commit_preprocessors = [{ pattern = 'explanation', replace = 'account' }]\n",
    )
)
CONFIGS = {
    "default": DEFAULT,
    "fields": FIELDS,
    "framed": FRAMED,
    "newest": NEWEST,
    "plain": PLAIN,
    "linked": LINKED,
}


def one_run(repo: Path, config: Path) -> str:
    return cliff.render(repo, config, rev_range=None, tag_pattern=FMT.regex)


def with_config(repo: Path, text: str) -> Path:
    config = repo / "cliff.toml"
    config.write_text(text, encoding="utf-8")
    return config


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000), variant=st.sampled_from(sorted(CONFIGS)))
def test_the_releases_we_build_render_as_one_run(tmp_path: Path, seed: int, variant: str) -> None:
    repo = tmp_path / f"t{seed}-{variant}"
    shutil.rmtree(repo, ignore_errors=True)
    tangled(repo, seed)
    config = with_config(repo, CONFIGS[variant])
    text = cliff_whole.whole_changelog(repo, config, FMT.regex)
    if text is None:  # where tags of one second share history (one run's order is
        # unknown), or a template links the oldest release to an older tag off HEAD's history
        assert tied_tags(repo) or (variant == "linked" and older_tag_off_head(repo))
        text = changelog_text(repo, unreleased=False)
    assert text == one_run(repo, config)


def older_tag_off_head(repo: Path) -> bool:
    """Whether a release tag off HEAD's history is as old as the oldest one on it."""
    from release.tools import cliff_walk

    outside: list[cliff_walk.Tag] = []
    tags = cliff_walk.tags(repo, FMT.regex, cliff_walk.history(repo), outside)
    return bool(tags) and any(t.time <= min(tag.time for tag in tags) for t in outside)


def tied_tags(repo: Path) -> bool:
    """Whether two release tags of different commits carry the same commit time."""
    from release.tools import cliff_walk

    tags = cliff_walk.tags(repo, FMT.regex, cliff_walk.history(repo))
    times = {(tag.commit, tag.time) for tag in tags}
    return len({time for _, time in times}) < len(times)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000))
def test_commits_older_than_their_parents_still_render_as_one_run(
    tmp_path: Path, seed: int
) -> None:
    repo = tmp_path / f"s{seed}"
    shutil.rmtree(repo, ignore_errors=True)
    tangled(repo, seed, skew=True)
    config = with_config(repo, DEFAULT)
    # a tag older by its time than a tag on its own history: the other path decides
    assert changelog_text(repo, unreleased=False) == one_run(repo, config)


def test_the_command_takes_this_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "tangled"
    tangled(repo, seed=7)
    expected = one_run(repo, cliff.default_config())
    taken: list[str | None] = []
    whole = cliff_whole.whole_changelog
    monkeypatch.setattr(
        cliff_whole, "whole_changelog", lambda *a: taken.append(whole(*a)) or taken[-1]
    )
    assert changelog_text(repo, unreleased=False) == expected
    assert taken == [expected]


@pytest.mark.parametrize(
    "change",
    [
        ("{% if version -%}", "{{ previous.commits | length }}{% if version -%}"),
        ("{% if version -%}", "{{ statistics.commit_count }}{% if version -%}"),
        ("split_commits = false", "split_commits = true"),
        ("[git]", '[git]\nignore_tags = "alpha"'),
        ("conventional_commits = true", "conventional_commits = false"),
        ("trim = true", "trim = true\nrender_always = true"),
        ("[git]", "[git]\ntopo_order_commits = false"),
    ],
    ids=["previous", "statistics", "split", "ignore_tags", "unconventional", "always", "time"],
)
def test_what_this_path_cannot_promise_is_left_to_the_others(
    tmp_path: Path, change: tuple[str, str]
) -> None:
    repo = tmp_path / "tangled"
    tangled(repo, seed=11)
    old, new = change
    assert old in DEFAULT
    config = with_config(repo, DEFAULT.replace(old, new, 1))
    assert cliff_whole.whole_changelog(repo, config, FMT.regex) is None
    assert changelog_text(repo, unreleased=False) == one_run(repo, config)


def test_blame_ignored_commits_leave_the_walk(tmp_path: Path) -> None:
    """git-cliff drops the commits .git-blame-ignore-revs lists before it gives commits to
    releases; a tag on one closes no release, so this path gives way."""
    import subprocess

    repo = tmp_path / "tangled"
    tangled(repo, seed=5)
    config = with_config(repo, DEFAULT)
    listed = subprocess.run(
        ["git", "rev-list", "--max-count=3", "HEAD~2"], cwd=repo, capture_output=True, text=True
    ).stdout.split()
    (repo / ".git-blame-ignore-revs").write_text("# reformatting\n" + listed[0] + "\n")
    text = cliff_whole.whole_changelog(repo, config, FMT.regex)
    assert text == one_run(repo, config)
    tagged = subprocess.run(
        ["git", "rev-parse", "v2.0.0^{commit}"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    (repo / ".git-blame-ignore-revs").write_text(tagged[:12] + "\n")
    assert cliff_whole.whole_changelog(repo, config, FMT.regex) is None
    assert changelog_text(repo, unreleased=False) == one_run(repo, config)


def test_halves_that_do_not_walk_as_the_whole_give_way_to_one_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Split at a commit that does not divide the walk (a patch of a maintenance line), the
    halves' order disagrees with git's walk: the whole history is parsed in one run."""
    import subprocess

    from release.tools import cliff_walk

    repo = tmp_path / "tangled"
    tangled(repo, seed=7)
    patch = subprocess.run(
        ["git", "rev-parse", "v2.3.1^{commit}"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()
    monkeypatch.setattr(cliff_walk, "middle_cut", lambda history, found: patch)
    parses: list[list[str]] = []
    run_cliff = cliff_context.run_cliff
    monkeypatch.setattr(
        cliff_context,
        "run_cliff",
        lambda args, root, context=None, **kw: (
            parses.append(args) or run_cliff(args, root, context, **kw)
        ),
    )
    config = cliff.default_config()
    assert cliff_whole.whole_changelog(repo, config, FMT.regex) == one_run(repo, config)
    ranges = [args[args.index("--") + 1] if "--" in args else None for args in parses[:3]]
    assert sorted(map(str, ranges)) == sorted([f"{patch}..HEAD", patch, "None"])


def test_the_next_run_parses_only_what_came_after_the_kept_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    repo = tmp_path / "tangled"
    tangled(repo, seed=3)
    config = cliff.default_config()
    cache = repo / ".git" / "release-toolkit" / "changelog-cache"
    ranges: list[str | None] = []
    rendered: list[int] = []  # how many releases each render is given
    run_cliff = cliff_context.run_cliff

    def spy(
        args: list[str], root: Path, context: str | None = None, stderr: list[str] | None = None
    ) -> str | None:
        if "--from-context" not in args:
            ranges.append(args[args.index("--") + 1] if "--" in args else None)
        else:
            rendered.append(len(json.loads(context or "[]")))
        return run_cliff(args, root, context, stderr)

    monkeypatch.setattr(cliff_context, "run_cliff", spy)

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert cliff_whole.whole_changelog(repo, config, FMT.regex, cache) == one_run(repo, config)
    kept = next(cache.glob("parse-*.jsonl"))
    cut = kept.read_text().partition("\n")[0]
    every = sum(rendered)
    ranges.clear()
    rendered.clear()
    assert cliff_whole.whole_changelog(repo, config, FMT.regex, cache) == one_run(repo, config)
    assert ranges == [f"{cut}..HEAD"]  # the kept history is not parsed again
    assert sum(rendered) < every  # nor are its older releases rendered again
    for n in range(3):  # a release and more work since
        (repo / "new.txt").write_text(f"{n}\n")
        git("add", "new.txt")
        git("commit", "-qm", f"feat: more {n}")
        if n == 1:
            git("tag", "v9.0.0")
    assert cliff_whole.whole_changelog(repo, config, FMT.regex, cache) == one_run(repo, config)
    git("reset", "-q", "--hard", "HEAD~8")  # the kept cut may be gone from the history
    git("commit", "-q", "--allow-empty", "-m", "fix: rewritten")
    assert cliff_whole.whole_changelog(repo, config, FMT.regex, cache) == one_run(repo, config)


def test_no_parse_is_kept_when_git_cliff_skipped_commits_for_a_failed_command(
    tmp_path: Path,
) -> None:
    """A commit skipped because a command of cliff.toml failed is missing from the parse:
    kept, later runs would leave it out without a word."""
    repo = tmp_path / "tangled"
    tangled(repo, seed=3)
    failing = '[git]\ncommit_preprocessors = [{ pattern = "rename", replace_command = "exit 3" }]'
    config = with_config(repo, DEFAULT.replace("[git]", failing, 1))
    cache = repo / ".git" / "release-toolkit" / "changelog-cache"
    assert cliff_whole.whole_changelog(repo, config, FMT.regex, cache) == one_run(repo, config)
    assert not list(cache.glob("parse-*"))
    assert cliff_whole.whole_changelog(repo, with_config(repo, DEFAULT), FMT.regex, cache)
    assert list(cache.glob("parse-*"))


def test_tags_of_one_second_go_by_version(tmp_path: Path) -> None:
    """A prerelease and its release on a child commit, and a patch of the older line, all
    of one second: one run takes them by version (v1.1.0-alpha.1 before v1.1.0 although
    its name sorts after, v1.0.1 before v1.1.0-alpha.1)."""
    import subprocess

    from .histories import Stream

    stream = Stream()
    main = stream.blob_commit("refs/heads/main", "feat: start", [], {"a": "0\n"})
    main = stream.blob_commit("refs/heads/main", "feat: one", [main], {"a": "1\n"})
    stream.tag("v1.0.0", main)
    second = stream.clock + 97
    stream.clock = second - 97
    patch = stream.blob_commit("refs/heads/v1.0.x", "fix: patch", [main], {"b": "1\n"})
    stream.tag("v1.0.1", patch)
    for text, name in (("feat: two", "v1.1.0-alpha.1"), ("feat: three", "v1.1.0")):
        stream.clock = second - 97  # every commit of the same second
        main = stream.blob_commit("refs/heads/main", text, [main], {"a": f"{text}\n"})
        stream.tag(name, main)
    main = stream.blob_commit("refs/heads/main", "Merge v1.0.x", [main, patch], {})
    repo = tmp_path / "second"
    stream.write(repo)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    config = cliff.default_config()
    text = cliff_whole.whole_changelog(repo, config, FMT.regex)
    assert text is not None
    assert text == one_run(repo, config)
    assert text.index("[1.1.0]") < text.index("[1.1.0-alpha.1]") < text.index("[1.0.1]")

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from release.base.errors import VersionError
from release.base.versioning import (
    Bump,
    BumpRules,
    Release,
    TagFormat,
    Version,
    apply_bump,
    check_greater,
    last_final_release,
    last_release,
    parse_explicit,
    with_prerelease,
)

RULES = BumpRules(types={"feat": Bump.MINOR, "fix": Bump.PATCH, "perf": Bump.PATCH})
V = TagFormat("v{version}")


@pytest.mark.parametrize("text", ["1.2", "v1.2.0.0", "01.2.3", "1.2.3-", "", "1.2.x", "v"])
def test_bad_explicit_versions_are_refused(text: str) -> None:
    with pytest.raises(VersionError) as err:
        parse_explicit(text)
    assert repr(text) in err.value.message and err.value.hint


def test_explicit_accepts_a_leading_v() -> None:
    assert parse_explicit("v1.2.0-rc.1") == Version(1, 2, 0, "rc.1")


def test_the_highest_semver_wins_not_the_order_given() -> None:
    tags = ["v1.10.0", "v1.9.0", "v2.0.0-rc.1", "pkg@9.9.9", "vnext", "v1.2.3"]
    assert last_release(tags, V) == Release("v2.0.0-rc.1", Version(2, 0, 0, "rc.1"))
    assert last_final_release(tags, V) == Release("v1.10.0", Version(1, 10, 0))


def test_other_tag_formats() -> None:
    fmt = TagFormat("pkg@{version}")
    assert fmt.parse("pkg@1.2.3") == Version(1, 2, 3)
    assert fmt.parse("v1.2.3") is None
    assert fmt.glob == "pkg@*"


@pytest.mark.parametrize(
    ("base", "level", "expected"),
    [
        ("1.2.3", Bump.MAJOR, "2.0.0"),
        ("1.2.3", Bump.MINOR, "1.3.0"),
        ("1.2.3", Bump.PATCH, "1.2.4"),
        ("0.4.1", Bump.MAJOR, "0.5.0"),  # breaking while 0.x bumps the minor
        ("0.4.1", Bump.PATCH, "0.4.2"),
    ],
)
def test_bumps(base: str, level: Bump, expected: str) -> None:
    assert str(apply_bump(Version.parse(base), level, RULES)) == expected


def test_breaking_while_zero_is_configurable() -> None:
    rules = BumpRules(types={}, breaking_while_zero=Bump.MAJOR)
    assert str(apply_bump(Version.parse("0.4.1"), Bump.MAJOR, rules)) == "1.0.0"


def test_prerelease_numbers_continue_and_restart() -> None:
    target = Version(1, 2, 0)
    assert (
        str(with_prerelease(target, "rc", Release("v1.1.0", Version(1, 1, 0)), V)) == "1.2.0-rc.1"
    )
    after_rc1 = Release("v1.2.0-rc.1", Version(1, 2, 0, "rc.1"))
    assert str(with_prerelease(target, "rc", after_rc1, V)) == "1.2.0-rc.2"
    assert str(with_prerelease(target, "beta", after_rc1, V)) == "1.2.0-beta.1"


def test_not_greater_is_refused() -> None:
    last = Release("v1.2.0", Version(1, 2, 0))
    for text in ["1.2.0", "1.1.9", "1.2.0-rc.9"]:
        with pytest.raises(VersionError, match=r"not greater than the last release 1\.2\.0"):
            check_greater(parse_explicit(text), last)
    check_greater(parse_explicit("1.2.1"), last)


def test_tag_format_must_have_one_placeholder() -> None:
    with pytest.raises(VersionError.__mro__[1]):  # ConfigError and VersionError share BadInput
        TagFormat("release")


versions = st.builds(
    Version,
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 50),
    st.one_of(st.none(), st.sampled_from(["rc.1", "rc.2", "beta.3", "alpha.1"])),
)


@given(
    last=versions,
    level=st.sampled_from([Bump.PATCH, Bump.MINOR, Bump.MAJOR]),
    pre=st.one_of(st.none(), st.sampled_from(["rc", "beta"])),
)
def test_next_is_valid_semver_and_greater(last: Version, level: Bump, pre: str | None) -> None:
    """The property the whole tool rests on, through the same function `plan` uses."""
    from release.core.plan.planning import _computed
    from release.core.settings.config import Config

    previous = Release(V.format(last), last)
    base = None if last.prerelease else previous
    try:
        version, _ = _computed(Config(), level, base, previous, pre, V, RULES)
    except VersionError:
        # Only allowed when a prerelease label sorts below the existing one (beta after rc).
        assert pre is not None and last.prerelease is not None
        return
    assert version is not None
    assert Version.is_valid(str(version))
    assert version > last

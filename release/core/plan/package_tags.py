"""Package tags: the style most of a repository's tags follow, and each package's last
release among the tags HEAD reaches, asked of git in as few calls as the tags allow."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from release.base.versioning import Release, TagFormat, Version
from release.core.plan.package_plan import PackagePlan
from release.core.settings.config_version import PACKAGE_TAG_STYLES
from release.tools.git import Git
from release.tools.git_history import reachable_tags

_VERSION_START = re.compile(r"(?<![0-9])(?=[0-9]+\.[0-9]+\.[0-9]+)")
_TRIPLE = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)")


def tag_style(tags: Iterable[str], names: list[str]) -> str:
    """The package tag style most of the repository's tags follow (tokio's `tokio-util-0.7.12`,
    release-plz's `release-plz-v0.3.100`, changesets' `pkg@1.2.0`)."""
    # Each style's tag prefixes, e.g. {"tokio-", "tokio-util-"}: one lookup per style.
    prefixes = {
        style: {style.partition("{version}")[0].replace("{name}", name) for name in names}
        for style in PACKAGE_TAG_STYLES
    }
    counts = dict.fromkeys(PACKAGE_TAG_STYLES, 0)
    for tag in tags:  # counted by prefix only: no version is parsed for a guess
        for start in _VERSION_START.finditer(tag):
            prefix = tag[: start.start()]
            for style, known in prefixes.items():
                if prefix in known:
                    counts[style] += 1
    best = max(PACKAGE_TAG_STYLES, key=lambda style: counts[style])  # ties: the first, -v
    return best if counts[best] else PACKAGE_TAG_STYLES[0]


def _by_package(
    tags: dict[str, str], formats: dict[str, TagFormat]
) -> dict[str, list[tuple[str, str]]]:
    """package -> [(tag, its version text)] for every tag in one of the packages' formats, in
    the order of `tags`; nothing is parsed yet. Each tag is cut where a version could start
    and the part before it is looked up: linear in the tags, where asking every format about
    every tag grows with packages x tags."""
    by_prefix: dict[str, list[tuple[str, str]]] = {}
    for name, fmt in formats.items():
        prefix, _, suffix = fmt.template.partition("{version}")
        by_prefix.setdefault(prefix, []).append((name, suffix))
    found: dict[str, list[tuple[str, str]]] = {}
    for tag in tags:
        for start in _VERSION_START.finditer(tag):
            for name, suffix in by_prefix.get(tag[: start.start()], []):
                if tag.endswith(suffix) and len(tag) - len(suffix) > start.start():
                    found.setdefault(name, []).append(
                        (tag, tag[start.start() : len(tag) - len(suffix)])
                    )
    return found


def _highest_first(candidates: list[tuple[str, str]]) -> Iterator[tuple[str, Version]]:
    """(tag, version) of `candidates`, the highest version first (equal ones: in their order).
    Sorted on MAJOR.MINOR.PATCH first and parsed one triple at a time, as far as the caller
    reads: a package's last release costs a parse or two, not one per tag it ever had."""
    keyed = []
    for index, (tag, text) in enumerate(candidates):
        triple = _TRIPLE.match(text)
        if triple:
            keyed.append((tuple(map(int, triple.groups())), index, tag, text))
    keyed.sort(key=lambda k: k[0], reverse=True)  # stable: equal triples keep their order
    for _, group in itertools.groupby(keyed, key=lambda k: k[0]):
        parsed = []
        for _, _, tag, text in group:
            try:
                parsed.append((tag, Version.parse(text)))
            except ValueError:
                continue  # not semver, whatever it starts with
        parsed.sort(key=lambda p: p[1], reverse=True)  # stable: equal versions keep the order
        yield from parsed


def find_previous(git: Git, tags: dict[str, str], plans: dict[str, PackagePlan]) -> dict[str, str]:
    """Each package's highest release tag among those reachable from HEAD. Its tags are read
    highest first, and only the ones that could be its last release are asked whether HEAD
    reaches them, all packages in one `git for-each-ref --merged`: what HEAD does not reach
    (a release branch's tag) sends that package to its next tags, in one more call for all.
    Returns package name -> the commit of that tag."""
    pending = {
        name: _highest_first(found)
        for name, found in _by_package(tags, {n: p.fmt for n, p in plans.items()}).items()
    }
    first_round = True
    while pending:
        batches: dict[str, list[tuple[str, Version]]] = {}
        for name, ranked in pending.items():
            if first_round:  # up to its highest final release; the prereleases above it
                batch = []
                for tag, version in ranked:
                    batch.append((tag, version))
                    if not version.prerelease:
                        break
            else:
                batch = list(ranked)
            batches[name] = batch
        first_round = False
        asked = [tag for batch in batches.values() for tag, _ in batch]
        reached = reachable_tags(git, asked) if asked else set()
        for name, batch in batches.items():
            plan = plans[name]
            for tag, version in batch:
                if tag not in reached:
                    continue
                if plan.latest is None:
                    plan.latest = Release(tag, version)  # the first reached is the highest
                if not version.prerelease:
                    plan.previous = Release(tag, version)  # a prerelease is never a bump's base
                    break
        # Done: a release found, or no tag left to ask about.
        pending = {n: r for n, r in pending.items() if batches[n] and plans[n].previous is None}
    for plan in plans.values():
        plan.reasons.append(f"since {plan.previous.tag}" if plan.previous else "never released")
        stated = plan.package.version
        if plan.previous and stated > plan.previous.version:
            # Released without a tag, or bumped ahead of a release: the tag is what counts.
            plan.reasons.append(f"its manifest says {stated}, ahead of its last tag")
    return {n: tags[p.previous.tag] for n, p in plans.items() if p.previous}

"""Which steps a release runs, in which order: the one list to read to know what a cut does."""

from __future__ import annotations

from release.core.engine.step import Step
from release.steps.announce.discord import DiscordStep
from release.steps.announce.mail import EmailStep
from release.steps.announce.mastodon import MastodonStep
from release.steps.announce.slack import SlackStep
from release.steps.announce.teams import TeamsStep
from release.steps.artifacts.binaries import BinariesStep
from release.steps.artifacts.checksums import ChecksumsStep
from release.steps.artifacts.sbom import SbomStep
from release.steps.artifacts.sign import SignStep
from release.steps.artifacts.wheels import WheelsStep
from release.steps.changelog.step import ChangelogStep
from release.steps.crates.step import CratesStep
from release.steps.docker.step import DockerStep
from release.steps.github.step import GithubPublishStep, GithubReleaseStep
from release.steps.homebrew.step import HomebrewStep
from release.steps.npm.step import NpmStep
from release.steps.push import PushStep
from release.steps.pypi.step import PypiStep
from release.steps.version.bump import BumpStep
from release.steps.version.commit_tag import CommitTagStep


def prepare_steps() -> list[Step]:
    return [
        # Prepend this version's section to CHANGELOG.md, rendered by git-cliff.
        ChangelogStep(),
        # Write the version into every manifest: Cargo workspace and lock, pyproject, __init__.
        BumpStep(),
        # Commit `chore(release): vX.Y.Z` and make the annotated tag (signed with a key).
        CommitTagStep(),
    ]


def build_steps() -> list[Step]:
    """What `release build` runs on each CI runner; everything lands in dist/."""
    return [
        # cargo build each binary for each target; reproducible NAME-vX.Y.Z-TARGET archives.
        BinariesStep(),
        # Wheel and sdist of each Python package (isolated build, or maturin); twine check.
        WheelsStep(),
        # CycloneDX SBOMs of the Python packages and of the Rust workspace.
        SbomStep(),
        # SHA256SUMS over every artifact, re-hashed and compared with what was built.
        ChecksumsStep(),
        # A detached, verified .asc for every artifact and for SHA256SUMS.
        SignStep(),
    ]


def publish_steps() -> list[Step]:
    """Everything that leaves the machine before the tag does, read from dist/; never
    rebuilds. Ordered by risk: what fails most and can never be taken back goes first, so
    that a failure there leaves the least behind. crates first: `cargo publish` resolves and
    compiles every crate against the registry, and new crates meet rate limits, so it is
    the likeliest to fail; a version once published can only be yanked. PyPI next: prebuilt,
    `twine check`ed files rarely fail, and a file name can never be uploaded again. npm
    after PyPI: tarballs packed and compared before anything is public, a version never
    accepted twice (unpublish is limited), but dist-tags can still be moved. Docker
    tags (moved back by a retag) and the GitHub draft (deleted, invisible until published)
    last, together (core/engine/pipeline.py CONCURRENT)."""
    return [
        # The workspace's crates in dependency order, each once, waiting for the index.
        CratesStep(),
        # Wheels and sdists through twine, after asking the index which files it has.
        PypiStep(),
        # npm packages (per-platform binaries and a main package, or the project's own),
        # each packed and compared with the registry's integrity before publishing.
        NpmStep(),
        # The version's Docker tags pointed at the image CI pushed (no layer moves).
        DockerStep(),
        # The GitHub release as a draft, with every artifact, signature, SUMS and SBOM.
        GithubReleaseStep(),
    ]


def announce_steps() -> list[Step]:
    """After the tag is public: what points at the release."""
    return [
        # Publish the draft GitHub release, now that its tag exists on the remote.
        GithubPublishStep(),
        # The Homebrew formula's urls and sha256 values, pushed to the tap.
        HomebrewStep(),
        # Slack: what was released and where (a failure of any step is announced too).
        SlackStep(),
        # The other announcers, each from its own section, with the same message as Slack's.
        EmailStep(),
        DiscordStep(),
        TeamsStep(),
        MastodonStep(),
    ]


def all_steps() -> list[Step]:
    return [
        *prepare_steps(),
        *build_steps(),
        *publish_steps(),
        # Push the branch and the tag together (git push --atomic): the commit point.
        PushStep(),
        *announce_steps(),
    ]


def tag_trigger_steps() -> list[Step]:
    """A local cut in tag-trigger mode: prepare, tag and push; release.yml does the rest."""
    return [*prepare_steps(), PushStep()]


# The steps whose work the release commit carries (its changelogs, its bumped manifests): a
# resume from a HEAD past that commit skips them, lest they write the release's files again.
WRITE_THE_RELEASE_COMMIT = frozenset({"changelog", "changelog-root", "bump"})


def cut_steps(mode: str) -> list[Step]:
    """What `release cut` (and resume, and verify before either) runs in this [git] mode."""
    return tag_trigger_steps() if mode == "tag-trigger" else all_steps()


def publish_run_steps() -> list[Step]:
    """`release publish` on a tag's checkout: SHA256SUMS over the union of the runners'
    artifacts (signed when a key is there), every publisher, the tag if it is not pushed
    yet (never the branch), and the announcements."""
    return [
        ChecksumsStep(),
        SignStep(),
        *publish_steps(),
        PushStep(tag_only=True),
        *announce_steps(),
    ]


def tagged_steps() -> list[Step]:
    """What a tag's checkout may still do: build, publish, push the tag, announce
    (`release verify` there, as release.yml's plan job runs it)."""
    return [*build_steps(), *publish_steps(), PushStep(tag_only=True), *announce_steps()]

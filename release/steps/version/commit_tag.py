"""Commit the release (`chore(release): v1.2.0`) and make its annotated tag, signed with a key."""

from __future__ import annotations

from fnmatch import fnmatchcase

from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Step, Verdict
from release.core.settings.messages import message
from release.tools import gpg


def commit_message(ctx: ReleaseContext) -> str:
    return message(ctx.config.git.commit_message, ctx.tag, ctx.version, _previous(ctx))


def tag_message(ctx: ReleaseContext) -> str:
    return message(ctx.config.git.tag_message, ctx.tag, ctx.version, _previous(ctx))


def _previous(ctx: ReleaseContext) -> tuple[str, object] | None:
    return (ctx.previous.tag, ctx.previous.version) if ctx.previous is not None else None


class CommitTagStep(Step):
    name = "commit-tag"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return APPLIES

    def describe(self, ctx: ReleaseContext) -> str:
        signed = " signed" if ctx.config.git.signing_key else ""
        return f"commit {commit_message(ctx)!r} and make the{signed} annotated tag {ctx.tag}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems = []
        git = ctx.git
        branch = git.branch()
        allowed = ctx.config.git.branches
        if branch is None:
            problems.append(
                Problem(
                    self.name,
                    "HEAD is detached: a release is cut from a branch",
                    hint=f"check out the release branch first: git switch {allowed[0]}",
                )
            )
        elif not any(fnmatchcase(branch, pattern) for pattern in allowed):  # "release/*" too
            problems.append(
                Problem(
                    self.name,
                    f"on branch {branch!r}, but releases are cut from {', '.join(allowed)}",
                    hint=f"git switch {allowed[0]}, or set [git] branch in the release config",
                )
            )
        # dist/ is ours: what a previous build left there is not the user's uncommitted work.
        dirty = git.dirty_paths(outside=ctx.config.build.dist)
        if dirty:
            shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
            problems.append(
                Problem(
                    self.name,
                    f"the work tree has uncommitted changes: {shown}",
                    hint="commit or stash them (git stash -u) before releasing",
                )
            )
        if git.tag_exists(ctx.tag) and not self.done(ctx):
            problems.append(
                Problem(
                    self.name,
                    f"the tag {ctx.tag} already exists",
                    hint=f"choose another version, or delete the tag: git tag -d {ctx.tag}",
                )
            )
        key = ctx.config.git.signing_key
        if key and not gpg.can_sign(key):
            problems.append(
                Problem(
                    self.name,
                    f"no usable secret key {key!r} to sign the tag",
                    hint="import the key (gpg --import), or unset [git] signing_key",
                )
            )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        git = ctx.git
        return git.tag_exists(ctx.tag) and git.commit_of(ctx.tag) == ctx.head()

    def run(self, ctx: ReleaseContext) -> None:
        changed = sorted(set(ctx.changes.changed_files))
        if changed:
            ctx.git.commit(commit_message(ctx), changed)
        message = tag_message(ctx)
        ctx.git.tag(ctx.tag, message, sign_key=ctx.config.git.signing_key)
        ctx.changes.tagged = ctx.tag

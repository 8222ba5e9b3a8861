"""Push the release branch and the tag, atomically, to the configured remote."""

from __future__ import annotations

from release.core.context import Problem, ReleaseContext
from release.core.errors import ReleaseError
from release.core.step import Step, Verdict, skip_unless


class PushStep(Step):
    name = "push"
    public = True
    atomic = True  # git push --atomic: a failed push has pushed nothing

    def __init__(self, *, tag_only: bool = False) -> None:
        # `release publish` runs on a tag's checkout: only the tag may need pushing, and the
        # branch (which may have moved on) is never touched.
        self.tag_only = tag_only

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return skip_unless(ctx.config.git.push, "[git] push = false")

    def _branch(self, ctx: ReleaseContext) -> str:
        return ctx.git.branch() or ctx.config.git.branches[0]

    def describe(self, ctx: ReleaseContext) -> str:
        remote = ctx.config.git.remote
        if self.tag_only:
            return f"push {ctx.tag} to {remote} unless it is there"
        return f"push {self._branch(ctx)} and {ctx.tag} to {remote}"

    def _local_tag(self, ctx: ReleaseContext) -> str | None:
        return ctx.git.tag_object(ctx.tag)

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        remote = ctx.config.git.remote
        if ctx.git.remote_url(remote) is None:
            return [
                Problem(
                    self.name,
                    f"there is no git remote named {remote!r}",
                    hint=f"git remote add {remote} URL, or set [git] remote (or push = false)",
                )
            ]
        branch = self._branch(ctx)
        try:
            refs = ctx.git.ls_remote(remote, f"refs/heads/{branch}", f"refs/tags/{ctx.tag}")
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        problems = []
        remote_tag = refs.get(f"refs/tags/{ctx.tag}")
        if self.tag_only:
            if remote_tag is not None and remote_tag != self._local_tag(ctx):
                problems.append(
                    Problem(
                        self.name,
                        f"the tag {ctx.tag} on {remote} is not the one checked out here",
                        hint=f"git fetch --tags --force {remote}, check out {ctx.tag}, publish",
                    )
                )
            return problems
        if remote_tag is not None and remote_tag != self._local_tag(ctx):
            problems.append(
                Problem(
                    self.name,
                    f"the tag {ctx.tag} already exists on {remote}",
                    hint="that version was released already: choose the next one",
                )
            )
        remote_head = refs.get(f"refs/heads/{branch}")
        if remote_head and not (
            ctx.git.has_object(remote_head) and ctx.git.is_ancestor(remote_head)
        ):
            problems.append(
                Problem(
                    self.name,
                    f"{branch} is behind {remote}/{branch}",
                    hint=f"git pull --rebase {remote} {branch}, then release",
                )
            )
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        local_tag = self._local_tag(ctx)
        if local_tag is None:
            return False
        remote = ctx.config.git.remote
        branch = self._branch(ctx)
        refs = ctx.git.ls_remote(remote, f"refs/heads/{branch}", f"refs/tags/{ctx.tag}")
        if self.tag_only:
            return refs.get(f"refs/tags/{ctx.tag}") == local_tag
        return (
            refs.get(f"refs/tags/{ctx.tag}") == local_tag
            and refs.get(f"refs/heads/{branch}") == ctx.git.head()
        )

    def run(self, ctx: ReleaseContext) -> None:
        remote = ctx.config.git.remote
        if self.tag_only:
            ctx.git.push(remote, f"refs/tags/{ctx.tag}")
        else:
            branch = self._branch(ctx)
            ctx.git.push(remote, f"HEAD:refs/heads/{branch}", f"refs/tags/{ctx.tag}")
        ctx.changes.pushed = True

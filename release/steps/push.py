"""Push the release branch and the tag, atomically, to the configured remote."""

from __future__ import annotations

from release.context import Problem, ReleaseContext
from release.errors import ReleaseError


class PushStep:
    name = "push"
    public = True
    atomic = True  # git push --atomic: a failed push has pushed nothing

    def applies(self, ctx: ReleaseContext) -> bool:
        return ctx.config.git.push

    def _branch(self, ctx: ReleaseContext) -> str:
        return ctx.git.branch() or ctx.config.git.branches[0]

    def describe(self, ctx: ReleaseContext) -> str:
        remote = ctx.config.git.remote
        return f"push {self._branch(ctx)} and {ctx.tag} to {remote}"

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
            return [Problem(self.name, exc.message, exc.hint)]
        problems = []
        if f"refs/tags/{ctx.tag}" in refs:
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
        if not ctx.git.tag_exists(ctx.tag):
            return False
        remote = ctx.config.git.remote
        branch = self._branch(ctx)
        refs = ctx.git.ls_remote(remote, f"refs/heads/{branch}", f"refs/tags/{ctx.tag}")
        local_tag = ctx.git.out("rev-parse", f"refs/tags/{ctx.tag}")
        return (
            refs.get(f"refs/tags/{ctx.tag}") == local_tag
            and refs.get(f"refs/heads/{branch}") == ctx.git.head()
        )

    def run(self, ctx: ReleaseContext) -> None:
        remote = ctx.config.git.remote
        branch = self._branch(ctx)
        ctx.git.push(remote, f"HEAD:refs/heads/{branch}", f"refs/tags/{ctx.tag}")
        ctx.state["pushed"] = True

"""Push the release branch and the tag, atomically, to the configured remote."""

from __future__ import annotations

from release.base.errors import ReleaseError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Step, Verdict, skip_unless


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
        # Before the cut, HEAD is the release commit only when the release is prepared.
        carried = ctx.prepared and self._carries_release(ctx, remote_head)
        if self._moved(ctx, remote_head) and not carried:
            problems.append(
                Problem(
                    self.name,
                    f"{branch} is behind {remote}/{branch}",
                    hint=f"git pull --rebase {remote} {branch}, then release",
                )
            )
        return problems

    def _remote_head(self, ctx: ReleaseContext) -> str | None:
        branch = self._branch(ctx)
        refs = ctx.git.ls_remote(ctx.config.git.remote, f"refs/heads/{branch}")
        return refs.get(f"refs/heads/{branch}")

    def _moved(self, ctx: ReleaseContext, remote_head: str | None) -> bool:
        """Has someone pushed to the branch what HEAD does not have?"""
        git = ctx.git
        return remote_head is not None and not (
            git.has_object(remote_head) and git.is_ancestor(remote_head)
        )

    def _carries_release(self, ctx: ReleaseContext, remote_head: str | None) -> bool:
        """The remote branch already contains the release commit, however far it moved on
        since (a merged release pull request, whose cut makes no commit of its own; a branch
        merged by hand after a conflict): only the tag needs pushing, the branch is left."""
        if remote_head is None:
            return False
        git = ctx.git
        if not git.has_object(remote_head):  # pushed after this checkout: fetch it to ask
            remote_head = git.fetch_branch(ctx.config.git.remote, self._branch(ctx))
        return git.is_ancestor(ctx.head(), remote_head)

    def before_public(self, ctx: ReleaseContext) -> None:
        """Nothing is public yet: a branch that moved since the cut started stops it here,
        where the repository can still be put back, rather than at the push."""
        if self.tag_only or not ctx.config.git.push:
            return
        remote, branch = ctx.config.git.remote, self._branch(ctx)
        remote_head = self._remote_head(ctx)
        if self._moved(ctx, remote_head) and not self._carries_release(ctx, remote_head):
            assert remote_head is not None
            raise ReleaseError(
                f"{remote}/{branch} moved since the cut started (someone pushed "
                f"{remote_head[:12]}); stopped before anything was public",
                hint=f"git pull --rebase {remote} {branch}, then cut the release again",
            )

    def done(self, ctx: ReleaseContext) -> bool:
        """The tag is on the remote and, unless only the tag is pushed, the branch there
        contains the release commit (a merge of the branch that moved counts)."""
        local_tag = self._local_tag(ctx)
        if local_tag is None:
            return False
        remote = ctx.config.git.remote
        branch = self._branch(ctx)
        refs = ctx.git.ls_remote(remote, f"refs/heads/{branch}", f"refs/tags/{ctx.tag}")
        if refs.get(f"refs/tags/{ctx.tag}") != local_tag:
            return False
        if self.tag_only:
            return True
        remote_head = refs.get(f"refs/heads/{branch}")
        return (
            remote_head is not None
            and ctx.git.has_object(remote_head)
            and ctx.git.is_ancestor(ctx.head(), remote_head)
        )

    def run(self, ctx: ReleaseContext) -> None:
        if self.tag_only:
            ctx.git.push(ctx.config.git.remote, f"refs/tags/{ctx.tag}")
            ctx.changes.pushed = True
            return
        self.push_release(ctx, [ctx.tag])

    def push_release(self, ctx: ReleaseContext, tags: list[str]) -> None:
        """The branch and `tags` in one push; the tags alone when the remote branch has the
        release commit; a branch that moved meanwhile merged first (independent mode pushes
        every package's tag so)."""
        remote = ctx.config.git.remote
        refs = [f"refs/tags/{tag}" for tag in tags]
        branch = self._branch(ctx)
        remote_head = self._remote_head(ctx)
        if self._carries_release(ctx, remote_head):  # the branch has it: the tags alone
            ctx.git.push(remote, *refs)
            ctx.changes.pushed = True
            return
        if self._moved(ctx, remote_head):
            self._integrate(ctx, remote, branch, tags)
        ctx.git.push(remote, f"HEAD:refs/heads/{branch}", *refs)
        ctx.changes.pushed = True

    def _integrate(self, ctx: ReleaseContext, remote: str, branch: str, tags: list[str]) -> None:
        """The branch moved after parts of the release went public: the release goes on. The
        tag stays on the release commit; the branch gets a merge commit of what was pushed
        meanwhile and the release commit (a rebase would leave the tagged commit off the
        branch; a fast-forward is impossible once both sides have commits). A conflict stops
        here, after pushing the tag, with the commands that finish it by hand."""
        git = ctx.git
        theirs = git.fetch_branch(remote, branch)
        if git.is_ancestor("HEAD", theirs):  # the release commit is on the remote branch
            git.fast_forward(theirs)
            return
        named = ", ".join(tags)
        message = f"Merge {remote}/{branch} into {branch} (release {named})"
        if git.merge(theirs, message):
            return
        git.push(remote, *(f"refs/tags/{tag}" for tag in tags))  # public by its tags
        raise ReleaseError(
            f"{remote}/{branch} moved during the release and does not merge cleanly with "
            f"the release commit of {named}; {'the tag' if len(tags) == 1 else 'the tags'} "
            f"{named} {'is' if len(tags) == 1 else 'are'} pushed",
            hint=f"git fetch {remote} {branch} && git merge {remote}/{branch} (resolve, "
            "commit), then `release resume` pushes the branch and finishes the release",
        )

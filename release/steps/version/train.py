"""Independent mode's repository-wide steps: the packages of one cut are prepared together
(each one's changelog and bump), committed once, tagged once each, and pushed in one atomic
push after every package is published. `ctxs` are the released packages' contexts, in
dependency order; they share one `Changes`, so a failure restores all of them at once."""

from __future__ import annotations

from release.base.errors import ReleaseError
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import APPLIES, Skip, Step, Verdict
from release.core.settings.messages import message
from release.steps.push import PushStep
from release.steps.version.commit_tag import CommitTagStep, tag_message


def _label(ctx: ReleaseContext) -> str:
    return ctx.package.name if ctx.package else ctx.tag


class EachPackage(Step):
    """One package step (changelog, bump) run over every package of the cut, in order."""

    def __init__(self, step: Step, ctxs: list[ReleaseContext]) -> None:
        self.step, self.ctxs = step, ctxs
        self.name, self.public, self.atomic = step.name, step.public, step.atomic

    def _applying(self) -> list[ReleaseContext]:
        return [c for c in self.ctxs if self.step.applies(c)]

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if self._applying():
            return APPLIES
        verdict = self.step.applies(self.ctxs[0])
        return verdict if isinstance(verdict, Skip) else Skip("no package has work for it")

    def describe(self, ctx: ReleaseContext) -> str:
        return "; ".join(f"{_label(c)}: {self.step.describe(c)}" for c in self._applying())

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems = []
        for c in self._applying():
            try:
                found = self.step.check(c)
            except ReleaseError as exc:
                found = [Problem.from_error(self.name, exc)]
            problems += [_named(p, c) for p in found]
        return problems

    def done(self, ctx: ReleaseContext) -> bool:
        return all(self.step.done(c) for c in self._applying())

    def run(self, ctx: ReleaseContext) -> None:
        for c in self._applying():
            if not self.step.done(c):
                self.step.run(c)


def _named(problem: Problem, ctx: ReleaseContext) -> Problem:
    if ctx.package is None or problem.message.startswith(ctx.package.name):
        return problem
    return Problem(
        problem.step,
        f"{ctx.package.name}: {problem.message}",
        problem.hint,
        problem.severity,
        problem.where,
    )


def _once(step: Step, ctxs: list[ReleaseContext]) -> list[Problem]:
    """A lockstep step's checks for every package, each problem said once (the branch and
    the remote are the repository's; each package's tag is its own)."""
    seen: set[str] = set()
    problems = []
    for c in ctxs:
        for problem in step.check(c):
            if problem.message not in seen:
                seen.add(problem.message)
                problems.append(problem)
    return problems


def _tags(ctxs: list[ReleaseContext]) -> list[str]:
    """Each tag once: a group's members share its one tag (`[[version.groups]] tag_format`)."""
    return list(dict.fromkeys(c.tag for c in ctxs))


def commit_message(ctxs: list[ReleaseContext]) -> str:
    first = ctxs[0]
    tags = ", ".join(_tags(ctxs))
    versions = ", ".join(f"{_label(c)} {c.version}" for c in ctxs)
    before = [c.previous for c in ctxs]
    previous = (
        ", ".join(p.tag if p else "none" for p in before),
        ", ".join(
            f"{_label(c)} {p.version if p else 'none'}" for c, p in zip(ctxs, before, strict=True)
        ),
    )
    return message(first.config.git.commit_message, tags, versions, previous)


class TrainCommitTagStep(Step):
    """One release commit for every package, then each package's annotated tag."""

    name = "commit-tag"
    public = False

    def __init__(self, ctxs: list[ReleaseContext]) -> None:
        self.ctxs = ctxs
        self.single = CommitTagStep()

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return APPLIES

    def describe(self, ctx: ReleaseContext) -> str:
        signed = " signed" if ctx.config.git.signing_key else ""
        tags = ", ".join(_tags(self.ctxs))
        return f"commit {commit_message(self.ctxs)!r} and make the{signed} annotated tags {tags}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        # The branch, the work tree and the key are the repository's: asked once. Each tag
        # is asked for each package.
        return _once(self.single, self.ctxs)

    def done(self, ctx: ReleaseContext) -> bool:
        return all(self.single.done(c) for c in self.ctxs)

    def run(self, ctx: ReleaseContext) -> None:
        git = ctx.git
        changed = sorted(set(ctx.changes.changed_files))
        if changed:
            git.commit(commit_message(self.ctxs), changed)
        at = ctx.head()  # the release commit, which a resume's HEAD may have moved on past
        for c in self.ctxs:
            if self.single.done(c):
                continue
            git.tag(c.tag, tag_message(c), sign_key=c.config.git.signing_key, at=at)
            ctx.changes.tags.append(c.tag)


class TrainPushStep(Step):
    """The branch and every package's tag in one `git push --atomic`: the commit point."""

    name = "push"
    public = True
    atomic = True

    def __init__(self, ctxs: list[ReleaseContext]) -> None:
        self.ctxs = ctxs
        self.single = PushStep()

    def applies(self, ctx: ReleaseContext) -> Verdict:
        return self.single.applies(ctx)

    def describe(self, ctx: ReleaseContext) -> str:
        branch = ctx.git.branch() or ctx.config.git.branches[0]
        tags = ", ".join(_tags(self.ctxs))
        return f"push {branch} and {tags} to {ctx.config.git.remote}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        return _once(self.single, self.ctxs)

    def done(self, ctx: ReleaseContext) -> bool:
        return all(self.single.done(c) for c in self.ctxs)

    def before_public(self, ctx: ReleaseContext) -> None:
        """A branch that moved since the cut started stops it while nothing is public."""
        self.single.before_public(ctx)

    def run(self, ctx: ReleaseContext) -> None:
        # A branch that moved after the packages went public is merged, then pushed once;
        # a group's one tag once.
        self.single.push_release(ctx, _tags(self.ctxs))

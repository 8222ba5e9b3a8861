"""Update the Homebrew formula for the release and push it to the tap.

The project keeps its formula in `formulas/` (any version); the release writes the new
`version`, and each `url` and `sha256`: one per platform block for a binary formula, matched
to the archives by target triple, or the sdist's for a source formula. Only those lines
change. The formula is then committed and pushed to the tap repository, or pushed to a
branch with a pull request opened when configured. The tap's own history is the record:
a formula already there with this content is done.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from release.base import secrets
from release.base.errors import ReleaseError
from release.base.fsutil import atomic_write, read_text
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.landing import HomebrewLanding
from release.core.engine.step import Skip, Step, Verdict
from release.steps.artifacts.binaries import targets as build_targets
from release.steps.github.step import repository as github_repository
from release.steps.homebrew.release_formula import (
    formula_path,
    refuse_other_content,
    render,
    source,
)
from release.steps.package_scope import (
    follower_problem,
    follows,
    python_projects,
    raise_follower_problem,
)
from release.tools import ruby
from release.tools.git import Auth, Git

TOKEN = "HOMEBREW_TAP_TOKEN"
AUTHOR = ("release-toolkit", "release-toolkit@localhost")  # the tap's commits


def tap_auth() -> Auth:
    """The tap's token reaches git through a credential helper that reads the environment."""
    return Auth(TOKEN, secrets.get(TOKEN))


def check_tap(git: Git, tap: str, branch: str) -> None:
    """The tap answers and has `branch`; otherwise one error that says which and what to do,
    before a clone would say only git's "Remote branch main not found"."""
    try:
        names = git.branches(tap, what=f"git ls-remote of the tap {tap}")
    except ReleaseError as exc:
        raise ReleaseError(exc.message, hint=f"check [homebrew] tap and {TOKEN}") from None
    if not names:
        raise ReleaseError(
            f"the tap {tap} has no branch yet: it is an empty repository",
            hint=f"seed it with a first commit on {branch}: git clone {tap} tap && cd tap && "
            f"git commit --allow-empty -m 'Initial commit' && git push origin HEAD:{branch}",
        )
    if branch not in names:
        raise ReleaseError(
            f"the tap {tap} has no branch {branch!r} (it has {', '.join(sorted(names)[:5])})",
            hint=f"set [homebrew] branch to one of them, or push a {branch} branch to the tap",
        )


class HomebrewStep(Step):
    name = "homebrew"
    public = True

    def applies(self, ctx: ReleaseContext) -> Verdict:
        assert ctx.version is not None
        config = ctx.config.homebrew
        if config.tap is None:
            return Skip("no [homebrew] tap")
        if ctx.version.prerelease and not config.prereleases:
            return Skip("a prerelease ([homebrew] prereleases = false)")
        if formula_path(ctx) is None:
            return Skip("no [homebrew] formula and not one formulas/*.rb")
        return follows(ctx, "[homebrew] package", config.package)

    def _unowned(self, ctx: ReleaseContext) -> Problem | None:
        """Independent versions: the tap follows the package `[homebrew] package` names;
        unset, no release would ever update it (an error)."""
        return follower_problem(
            ctx, self.name, "[homebrew] package", ctx.config.homebrew.package, "the tap is updated"
        )

    def describe(self, ctx: ReleaseContext) -> str:
        if (unowned := self._unowned(ctx)) is not None:
            return f"nothing until the config is fixed: {unowned.message}"
        path = formula_path(ctx)
        assert path is not None
        how = "open a pull request on" if ctx.config.homebrew.pull_request else "push it to"
        return f"update {ctx.relpath(path)} for {ctx.tag} and {how} {ctx.config.homebrew.tap}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        if (unowned := self._unowned(ctx)) is not None:
            return [unowned]
        problems: list[Problem] = []
        try:
            path, _, found = source(ctx)
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        planned = build_targets(ctx)
        for download in found:
            if download.platform.os is None and download.platform.arch is None:
                if not (ctx.config.build.python and python_projects(ctx)):
                    problems.append(
                        Problem(
                            self.name,
                            "the formula's url is not in a platform block, and no sdist is built",
                            hint="put binary urls in on_macos/on_linux blocks, or build the "
                            "Python package for a source formula",
                            where=f"{ctx.relpath(path)}:{download.url_line + 1}",
                        )
                    )
            elif not any(download.platform.matches(t) for t in planned):
                problems.append(
                    Problem(
                        self.name,
                        f"the formula has a {download.platform} url, but no build target "
                        f"matches it (targets: {', '.join(planned) or 'none'})",
                        hint="add the target to [build] targets (or build it on another "
                        "runner), or remove the block",
                        where=f"{ctx.relpath(path)}:{download.url_line + 1}",
                    )
                )
        binary = any(d.platform.os or d.platform.arch for d in found)
        if binary and not ctx.config.homebrew.url and github_repository(ctx) is None:
            problems.append(
                Problem(
                    self.name,
                    "the formula's archives have no download URL: no GitHub release is made",
                    hint='set [github] repository, or [homebrew] url = "https://.../{tag}/{file}"',
                )
            )
        if ctx.config.homebrew.pull_request and not ctx.config.homebrew.tap_repository:
            problems.append(
                Problem(
                    self.name,
                    "[homebrew] pull_request = true needs tap_repository",
                    hint='set [homebrew] tap_repository = "owner/homebrew-tap"',
                )
            )
        try:
            with tempfile.TemporaryDirectory(prefix="release-tap-") as tmp:
                clone = self._clone(ctx, Path(tmp))
                branch = self._branch(ctx)
                # Write access, asked of the tap itself without changing it.
                clone.push(
                    "origin",
                    f"HEAD:refs/heads/{branch}",
                    dry_run=True,
                    what=f"git push --dry-run to the tap {ctx.config.homebrew.tap}",
                )
        except ReleaseError as exc:
            hint = exc.hint or f"check [homebrew] tap and {TOKEN}"  # check_tap's own, first
            problems.append(Problem.from_error(self.name, exc, hint=hint))
        return problems

    def _branch(self, ctx: ReleaseContext) -> str:
        if ctx.config.homebrew.pull_request:
            name = formula_path(ctx).stem  # type: ignore[union-attr]
            return f"release/{name}-{ctx.version}"
        return ctx.config.homebrew.branch

    def _clone(self, ctx: ReleaseContext, into: Path, branch: str | None = None) -> Git:
        tap = ctx.config.homebrew.tap
        assert tap is not None
        check_tap(Git(ctx.root, tap_auth()), tap, ctx.config.homebrew.branch)
        return Git.clone(
            tap,
            into / "tap",
            branch=branch or ctx.config.homebrew.branch,
            auth=tap_auth(),
            what=f"git clone of the tap {tap}",
        )

    def _in_tap(self, ctx: ReleaseContext) -> str:
        path = formula_path(ctx)
        assert path is not None
        return ctx.config.homebrew.path.format(name=path.stem)

    def done(self, ctx: ReleaseContext) -> bool:
        if self._unowned(ctx) is not None:
            return False  # run says why
        if not ctx.manifest().artifacts:
            return False  # nothing is built yet (verify before a cut): nothing can be there
        wanted = render(ctx)
        branch = self._branch(ctx)
        if branch != ctx.config.homebrew.branch:
            # A pull request's branch: done once it carries the formula.
            tap = Git(ctx.root, tap_auth())
            heads = tap.ls_remote(str(ctx.config.homebrew.tap), f"refs/heads/{branch}")
            if not heads or not self._pull_open(ctx, branch):
                return False
        with tempfile.TemporaryDirectory(prefix="release-tap-") as tmp:
            there = self._clone(ctx, Path(tmp), branch).root / self._in_tap(ctx)
            if not there.is_file():
                return False
            current = read_text(there)
        if current == wanted:
            ctx.landed.homebrew = HomebrewLanding(self._in_tap(ctx), branch)
            return True
        refuse_other_content(current, wanted, self._in_tap(ctx))
        return False

    def run(self, ctx: ReleaseContext) -> None:
        raise_follower_problem(self._unowned(ctx))
        wanted = render(ctx)
        with tempfile.TemporaryDirectory(prefix="release-tap-") as tmp:
            clone = self._clone(ctx, Path(tmp))
            target = clone.root / self._in_tap(ctx)
            if target.is_file():
                refuse_other_content(read_text(target), wanted, self._in_tap(ctx))
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, wanted)
            ruby.check_syntax(target)
            name = formula_path(ctx).stem  # type: ignore[union-attr]
            message = f"{name} {ctx.version}"
            clone.commit(message, [self._in_tap(ctx)], author=AUTHOR)
            branch = self._branch(ctx)
            # The pull request's branch is ours alone: a re-run may replace it.
            force = "+" if branch != ctx.config.homebrew.branch else ""
            clone.push(
                "origin",
                f"{force}HEAD:refs/heads/{branch}",
                what=f"git push to the tap {ctx.config.homebrew.tap}",
            )
        ctx.record(self.name, "item", formula=self._in_tap(ctx), branch=branch)
        landing = ctx.landed.homebrew = HomebrewLanding(self._in_tap(ctx), branch)
        if ctx.config.homebrew.pull_request:
            landing.pull_request = self._pull_request(ctx, branch, message)

    def _pull_open(self, ctx: ReleaseContext, branch: str) -> bool:
        from release.remote import github as github_api

        gh = github_api.client(ctx.config.github.api_url, ctx.config.github.write_interval)
        try:
            repo = gh.get_repo(ctx.config.homebrew.tap_repository)
            return any(p.head.ref == branch for p in repo.get_pulls(state="open"))
        except Exception as exc:
            raise github_api.translate(exc, "list the tap's pull requests") from None

    def _pull_request(self, ctx: ReleaseContext, branch: str, title: str) -> str | None:
        """Opens the pull request; its page, or None when a resumed run finds it open."""
        from release.remote import github as github_api

        config = ctx.config.homebrew
        gh = github_api.client(ctx.config.github.api_url, ctx.config.github.write_interval)
        if self._pull_open(ctx, branch):
            return None  # a resumed run: the pull request is already open
        try:
            repo = gh.get_repo(config.tap_repository)
            pull = repo.create_pull(
                base=config.branch,
                head=branch,
                title=title,
                body=f"Update for {ctx.tag}, made by release-toolkit.",
            )
        except Exception as exc:
            raise github_api.translate(exc, "open the tap's pull request") from None
        return str(pull.html_url)

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

from release.core import secrets
from release.core.artifacts import Artifact
from release.core.context import Problem, ReleaseContext
from release.core.errors import BadInput, ReleaseError
from release.core.fsutil import atomic_write, read_text
from release.core.landing import HomebrewLanding
from release.core.step import Skip, Step, Verdict, skip_unless
from release.steps import formula
from release.steps.binaries import targets as build_targets
from release.steps.github import download_url
from release.steps.github import repository as github_repository
from release.tools import ruby
from release.tools.git import Auth, Git

TOKEN = "HOMEBREW_TAP_TOKEN"
AUTHOR = ("release-toolkit", "release-toolkit@localhost")  # the tap's commits


def formula_path(ctx: ReleaseContext) -> Path | None:
    configured = ctx.config.homebrew.formula
    if configured:
        return ctx.root / configured
    found = sorted((ctx.root / "formulas").glob("*.rb"))
    return found[0] if len(found) == 1 else None


def tap_auth() -> Auth:
    """The tap's token reaches git through a credential helper that reads the environment."""
    return Auth(TOKEN, secrets.get(TOKEN))


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
        return skip_unless(
            formula_path(ctx) is not None, "no [homebrew] formula and not one formulas/*.rb"
        )

    def _source(self, ctx: ReleaseContext) -> tuple[Path, str, list[formula.Download]]:
        path = formula_path(ctx)
        if path is None or not path.is_file():
            raise BadInput(
                f"the formula {ctx.config.homebrew.formula} does not exist",
                hint="set [homebrew] formula to a file in the project, e.g. formulas/tool.rb",
            )
        text = read_text(path)
        return path, text, formula.downloads(text, ctx.relpath(path))

    def describe(self, ctx: ReleaseContext) -> str:
        path = formula_path(ctx)
        assert path is not None
        how = "open a pull request on" if ctx.config.homebrew.pull_request else "push it to"
        return f"update {ctx.relpath(path)} for {ctx.tag} and {how} {ctx.config.homebrew.tap}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems: list[Problem] = []
        try:
            path, _, found = self._source(ctx)
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        planned = build_targets(ctx)
        for download in found:
            if download.platform.os is None and download.platform.arch is None:
                if not (ctx.config.build.python and ctx.layout.python):
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
            problems.append(
                Problem.from_error(self.name, exc, hint=f"check [homebrew] tap and {TOKEN}")
            )
        return problems

    def _branch(self, ctx: ReleaseContext) -> str:
        if ctx.config.homebrew.pull_request:
            name = formula_path(ctx).stem  # type: ignore[union-attr]
            return f"release/{name}-{ctx.version}"
        return ctx.config.homebrew.branch

    def _clone(self, ctx: ReleaseContext, into: Path, branch: str | None = None) -> Git:
        tap = ctx.config.homebrew.tap
        assert tap is not None
        return Git.clone(
            tap,
            into / "tap",
            branch=branch or ctx.config.homebrew.branch,
            auth=tap_auth(),
            what=f"git clone of the tap {tap}",
        )

    def render(self, ctx: ReleaseContext) -> str:
        """The formula for this release, from the project's formula and the artifacts."""
        assert ctx.version is not None
        path, text, found = self._source(ctx)
        files: dict[formula.Download, tuple[str, str]] = {}
        for download in found:
            artifact = self._artifact(ctx, download, path)
            name = Path(artifact.path).name
            files[download] = (self._url(ctx, artifact, name), artifact.sha256)
        return formula.update(text, str(ctx.version), files, ctx.relpath(path))

    def _artifact(self, ctx: ReleaseContext, download: formula.Download, path: Path) -> Artifact:
        manifest = ctx.manifest()
        where = f"{ctx.relpath(path)}:{download.url_line + 1}"
        if download.platform.os is None and download.platform.arch is None:
            candidates = manifest.of_kind("sdist")
        else:
            candidates = [
                a for a in manifest.of_kind("binary-archive") if download.platform.matches(a.target)
            ]
            named = [a for a in candidates if a.name == path.stem]
            candidates = named or candidates
        if len(candidates) != 1:
            what = "no" if not candidates else f"{len(candidates)}"
            raise ReleaseError(
                f"the formula's {download.platform} url matches {what} artifacts"
                + (f": {', '.join(Path(a.path).name for a in candidates)}" if candidates else ""),
                hint="build exactly one archive per platform block (name it after the "
                "formula when there are several binaries)",
                where=where,
            )
        return candidates[0]

    def _url(self, ctx: ReleaseContext, artifact: Artifact, filename: str) -> str:
        template = ctx.config.homebrew.url
        if template:
            return template.format(
                version=ctx.version, tag=ctx.tag, file=filename, name=artifact.name or ""
            )
        if artifact.kind == "sdist":
            project = artifact.name or filename.split("-")[0]
            return (
                f"https://files.pythonhosted.org/packages/source/{project[0]}/{project}/{filename}"
            )
        return download_url(ctx, filename)

    def _in_tap(self, ctx: ReleaseContext) -> str:
        path = formula_path(ctx)
        assert path is not None
        return ctx.config.homebrew.path.format(name=path.stem)

    def done(self, ctx: ReleaseContext) -> bool:
        if not ctx.manifest().artifacts:
            return False  # nothing is built yet (verify before a cut): nothing can be there
        wanted = self.render(ctx)
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
        self._refuse_other_content(ctx, current, wanted)
        return False

    def _refuse_other_content(self, ctx: ReleaseContext, current: str, wanted: str) -> None:
        """The tap's formula names our urls with other sha256 values: never overwritten."""
        ours = {d.url: d for d in formula.downloads(wanted, "ours")}
        theirs = current.splitlines()
        for download in formula.downloads(current, self._in_tap(ctx)):
            if download.url in ours and download.sha_line is not None:
                mine = wanted.splitlines()[ours[download.url].sha_line or 0]
                if theirs[download.sha_line].strip() != mine.strip():
                    raise ReleaseError(
                        f"the tap already has {download.url.rsplit('/', 1)[-1]} "
                        "with another sha256",
                        hint="the tap's formula for this version differs from the artifacts; "
                        "fix the tap by hand or release a new version",
                    )

    def run(self, ctx: ReleaseContext) -> None:
        wanted = self.render(ctx)
        with tempfile.TemporaryDirectory(prefix="release-tap-") as tmp:
            clone = self._clone(ctx, Path(tmp))
            target = clone.root / self._in_tap(ctx)
            if target.is_file():
                self._refuse_other_content(ctx, read_text(target), wanted)
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

"""The GitHub release, in two steps around the push of the tag.

`github` creates the release as a draft (this version's changelog section as its body) and
uploads every artifact with its signature, SHA256SUMS and the SBOMs, before anything says
"released"; `github-publish` publishes the draft once the tag is pushed. A re-run finds the
release and uploads only what is missing; an asset of the same name with other content is
an error, never a silent replace.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from release.base.errors import ReleaseError
from release.base.fsutil import read_text
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.landing import GithubLanding
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.core.plan.prepared import section_of
from release.remote import github as github_api
from release.steps.changelog.step import changelog_path, render_section

if TYPE_CHECKING:
    from github.GitRelease import GitRelease
    from github.Repository import Repository

UPLOAD_ATTEMPTS = 4


def repository(ctx: ReleaseContext) -> str | None:
    config = ctx.config.github
    if config.repository:
        return config.repository
    url = ctx.git.remote_url(ctx.config.git.remote)
    return github_api.repository_from_remote(url, config.web_url)


def release_url(ctx: ReleaseContext) -> str:
    return f"{ctx.config.github.web_url.rstrip('/')}/{repository(ctx)}/releases/tag/{ctx.tag}"


def download_url(ctx: ReleaseContext, filename: str) -> str:
    web = ctx.config.github.web_url.rstrip("/")
    return f"{web}/{repository(ctx)}/releases/download/{ctx.tag}/{filename}"


class _GithubBase(Step):
    name: str
    public = True

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.github.enabled:
            return Skip("[github] enabled = false")
        return skip_unless(
            repository(ctx) is not None,
            "no GitHub repository: no [github] repository and the remote is not on GitHub",
        )

    def _prerelease(self, ctx: ReleaseContext) -> bool:
        return bool(ctx.version and ctx.version.prerelease)

    def _repo(self, ctx: ReleaseContext, *, retries: int = 5) -> Repository:
        config = ctx.config.github
        name = repository(ctx)
        gh = github_api.client(config.api_url, config.write_interval, retries=retries)
        try:
            repo: Repository = gh.get_repo(name)
            return repo
        except Exception as exc:
            raise github_api.translate(exc, f"read the repository {name}") from None

    def _release(self, ctx: ReleaseContext, repo: Repository) -> GitRelease | None:
        try:
            return github_api.find_release(repo, ctx.tag)
        except Exception as exc:
            raise github_api.translate(exc, f"look up the release {ctx.tag}") from None

    def _assets(self, ctx: ReleaseContext) -> dict[str, tuple[Path, str]]:
        """name -> (file, sha256) of every file the release carries: archives, wheels,
        sdists, SBOMs, SHA256SUMS and the signatures (artifacts of their own)."""
        manifest = ctx.manifest()
        return {manifest.file(a).name: (manifest.file(a), a.sha256) for a in manifest.artifacts}

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        name = repository(ctx)
        try:
            repo = self._repo(ctx, retries=2)  # a read-only check: a person is waiting
            permissions: Any = repo.raw_data.get("permissions")
            if isinstance(permissions, dict) and permissions.get("push") is False:
                return [
                    Problem(
                        self.name,
                        f"GITHUB_TOKEN may not write to {name}",
                        hint="give the token `contents: write` on the repository",
                    )
                ]
            release = self._release(ctx, repo)
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        if release is not None and not release.draft and self._missing(ctx, release):
            return [
                Problem(
                    self.name,
                    f"the release {ctx.tag} is already published on {name} without all assets",
                    hint="this version was released before; choose the next one",
                    severity="warning",
                )
            ]
        return []

    def _landed(self, ctx: ReleaseContext, release: GitRelease) -> None:
        """The release's page (the tag's address, which stays once the draft is published)."""
        ctx.landed.github = GithubLanding(release_url(ctx), draft=bool(release.draft))

    def _missing(self, ctx: ReleaseContext, release: GitRelease) -> list[str]:
        """Assets still to upload; one of the same name with other content is an error."""
        wanted = self._assets(ctx)
        missing = dict(wanted)
        try:
            for asset in release.get_assets():
                if asset.name not in wanted:
                    continue
                if asset.state != "uploaded":
                    continue  # a broken upload: replaced by the next run
                _, sha = wanted[asset.name]
                there = github_api.asset_sha256(asset)
                if there != sha:
                    raise ReleaseError(
                        f"the release {ctx.tag} already has {asset.name} with other content "
                        f"(sha256 {there[:12]}…, ours {sha[:12]}…)",
                        hint="delete that asset on GitHub if it is wrong, or release a new "
                        "version; assets are never replaced silently",
                    )
                missing.pop(asset.name, None)
        except ReleaseError:
            raise
        except Exception as exc:
            raise github_api.translate(exc, f"list the assets of {ctx.tag}") from None
        return sorted(missing)


class GithubReleaseStep(_GithubBase):
    name = "github"

    def describe(self, ctx: ReleaseContext) -> str:
        return f"draft the GitHub release {ctx.tag} on {repository(ctx)} and upload its assets"

    def done(self, ctx: ReleaseContext) -> bool:
        release = self._release(ctx, self._repo(ctx))
        if release is None or self._missing(ctx, release):
            return False
        self._landed(ctx, release)
        return True

    def run(self, ctx: ReleaseContext) -> None:
        assert ctx.version is not None
        repo = self._repo(ctx)
        release = self._release(ctx, repo)
        if release is None:
            body = self._body(ctx).strip()[: github_api.MAX_BODY]
            try:
                release = repo.create_git_release(
                    ctx.tag,
                    name=self._title(ctx),
                    message=body,
                    draft=True,
                    prerelease=self._prerelease(ctx),
                    target_commitish=ctx.head(),
                )
            except Exception as exc:
                raise github_api.translate(exc, f"create the release {ctx.tag}") from None
        self._record("release", ctx.tag, "draft" if release.draft else "exists", ctx)
        assets = self._assets(ctx)
        for name in self._missing(ctx, release):
            path, _ = assets[name]
            self._upload(ctx, release, name, path)
        self._landed(ctx, release)

    def _body(self, ctx: ReleaseContext) -> str:
        # The section as the changelog file has it (the repository's, or the package's own):
        # a maintainer may have edited it in a release pull request (release.core.plan.prepared);
        # a fresh rendering would lose that.
        path = changelog_path(ctx)
        if ctx.config.changelog.enabled and ctx.version is not None and path.is_file():
            found = section_of(read_text(path), ctx.version)
            if found is not None:
                return found
        return render_section(ctx)

    def _title(self, ctx: ReleaseContext) -> str:
        return ctx.tag

    def _upload(self, ctx: ReleaseContext, release: GitRelease, name: str, path: Path) -> None:
        import time

        for attempt in range(1, UPLOAD_ATTEMPTS + 1):
            # A broken earlier upload of this name would make GitHub refuse the new one.
            for asset in release.get_assets():
                if asset.name == name and asset.state != "uploaded":
                    asset.delete_asset()
            try:
                release.upload_asset(
                    str(path), name=name, content_type=github_api.content_type(path)
                )
            except Exception as exc:
                error = github_api.translate(exc, f"upload {name}")
                status = getattr(exc, "status", None)
                if status in (400, 401, 403, 404):
                    raise error from None
                # Transient, or 422 "already exists": ask the release what it holds now.
                if not self._missing_one(ctx, release, name):
                    break
                if attempt == UPLOAD_ATTEMPTS:
                    raise error from None
                time.sleep(min(2**attempt, 30))
            else:
                break
        self._record("asset", name, "uploaded", ctx)

    def _missing_one(self, ctx: ReleaseContext, release: GitRelease, name: str) -> bool:
        return name in self._missing(ctx, release)

    def _record(self, kind: str, name: str, result: str, ctx: ReleaseContext) -> None:
        ctx.record(self.name, "item", **{kind: name, "result": result})


class GithubPublishStep(_GithubBase):
    """Publishes the draft once the tag is on the remote, so the release points at it."""

    name = "github-publish"

    def describe(self, ctx: ReleaseContext) -> str:
        return f"publish the GitHub release {ctx.tag}"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        return []  # the `github` step checked the token and the repository

    def done(self, ctx: ReleaseContext) -> bool:
        release = self._release(ctx, self._repo(ctx))
        if release is None or release.draft:
            return False
        self._landed(ctx, release)
        return True

    def run(self, ctx: ReleaseContext) -> None:
        assert ctx.version is not None
        release = self._release(ctx, self._repo(ctx))
        if release is None:
            raise ReleaseError(
                f"there is no draft release {ctx.tag} to publish",
                hint="`release resume` runs the github step first",
            )
        try:
            release.update_release(
                name=release.name or ctx.tag,
                message=release.body or "",
                draft=False,
                prerelease=self._prerelease(ctx),
            )
        except Exception as exc:
            raise github_api.translate(exc, f"publish the release {ctx.tag}") from None
        ctx.landed.github = GithubLanding(release_url(ctx), draft=False)

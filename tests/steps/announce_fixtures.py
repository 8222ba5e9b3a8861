"""A tagged project with a changelog worth announcing and a landing to link, for the
announcers' tests."""

from __future__ import annotations

from release.core.engine.context import ReleaseContext
from release.core.engine.journal import Journal
from release.core.engine.landing import GithubLanding
from release.core.plan.planning import plan_tagged

from ..conftest import Repo

RELEASE_PAGE = "https://github.com/acme/demo/releases/tag/v1.2.0"


def announced(repo: Repo, config: str = "") -> ReleaseContext:
    repo.write("release.toml", f'[project]\nname = "demo"\n{config}')
    repo.commit("feat(cli): greet in [French](https://example.test/fr)")
    repo.commit("fix: **never** crash on <script>alert(1)</script> names")
    repo.tag("v1.2.0")
    ctx = plan_tagged(repo.path)
    ctx.journal = Journal.for_tag(ctx.git.git_dir(), ctx.tag)
    ctx.landed.github = GithubLanding(RELEASE_PAGE, draft=False)
    return ctx

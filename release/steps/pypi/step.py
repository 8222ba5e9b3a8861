"""Upload the wheels and sdists to PyPI (or the configured repository) with twine, after asking
the index which files it already has: the same sha256 is success, another is a loud error."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from release.base import secrets
from release.base.errors import ReleaseError
from release.core.engine.artifacts import Artifact
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.landing import PypiLanding
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.core.project.manifests import python_version
from release.remote.net import PREFLIGHT, Http, HttpError, RetryPolicy, Service
from release.remote.trusted_publishing import PypiExchange, Tokens
from release.steps import publish_auth
from release.steps.artifacts.wheels import no_python, project_name
from release.steps.package_scope import python_projects
from release.steps.pypi import upload as pypi_upload

SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href and "#sha256=" in href:
            url, _, digest = href.partition("#sha256=")
            self.files[url.rsplit("/", 1)[-1]] = digest


def index_files(http: Http, index_url: str, project: str) -> dict[str, str]:
    """filename -> sha256 of every file the index has for `project` (PEP 691, else PEP 503)."""
    url = index_url.rstrip("/") + f"/{normalize(project)}/"
    response = http.request(
        "GET", url, expect=(404,), headers={"Accept": f"{SIMPLE_JSON}, text/html;q=0.1"}
    )
    if response.status_code == 404:
        return {}
    if response.headers.get("content-type", "").startswith(SIMPLE_JSON):
        data = json.loads(response.text)
        return {f["filename"]: f.get("hashes", {}).get("sha256", "") for f in data["files"]}
    links = _Links()
    links.feed(response.text)
    return links.files


def credentials() -> dict[str, str]:
    token = secrets.get("PYPI_API_TOKEN")
    if token:
        return {"TWINE_USERNAME": "__token__", "TWINE_PASSWORD": token}
    user, password = secrets.get("TWINE_USERNAME"), secrets.get("TWINE_PASSWORD")
    if user and password:
        return {"TWINE_USERNAME": user, "TWINE_PASSWORD": password}
    return {}


def token_shaped() -> bool:
    """An API token (PYPI_API_TOKEN, or TWINE_PASSWORD for `__token__`) looks like one:
    the only thing about a PyPI credential that can be known without an upload."""
    given = credentials()
    if given.get("TWINE_USERNAME") != "__token__":
        return True  # a username and password: nothing to tell from their shape
    return given["TWINE_PASSWORD"].startswith("pypi-")


def auth() -> publish_auth.Auth:
    if secrets.get("PYPI_API_TOKEN"):
        return publish_auth.choose("PYPI_API_TOKEN")
    return publish_auth.choose("TWINE_USERNAME/TWINE_PASSWORD" if credentials() else None)


NEED = publish_auth.Need(
    "pypi",
    "no credentials to upload to the package index",
    "set PYPI_API_TOKEN (or TWINE_USERNAME and TWINE_PASSWORD), or `release login PYPI_API_TOKEN`",
    "the package index (PyPI: the project's Publishing settings)",
)
# A minted token is handed to twine only while it has 10 of its 15 minutes left.
FRESH_FOR = 10 * 60.0


class PypiStep(Step):
    name = "pypi"
    public = True
    # Trusted publishing: the token minted in `check` serves `run` too while it is fresh.
    _minted: Tokens | None = None

    def _tokens(self, ctx: ReleaseContext) -> Tokens:
        if self._minted is None:
            self._minted = Tokens(PypiExchange(ctx.config.pypi.repository_url), fresh_for=FRESH_FOR)
        return self._minted

    def _upload_env(self, ctx: ReleaseContext) -> dict[str, str]:
        given = credentials()
        if given:
            return given
        missing = publish_auth.problem(auth(), NEED)
        if missing is not None:  # a run without its check stops here, before twine asks
            raise ReleaseError(missing.message, hint=missing.hint)
        return {"TWINE_USERNAME": "__token__", "TWINE_PASSWORD": self._tokens(ctx).get()}

    def _dists(self, ctx: ReleaseContext) -> list[Artifact]:
        return ctx.manifest().of_kind("wheel", "sdist")

    def _http(self, policy: RetryPolicy | None = None) -> Http:
        return Http(Service("the Python package index", "PYPI_API_TOKEN"), policy=policy)

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.pypi.enabled:
            return Skip("[pypi] enabled = false")
        if not ctx.config.build.python:
            return Skip("[build] python = false (or --no-python)")
        return skip_unless(python_projects(ctx), no_python(ctx))

    def describe(self, ctx: ReleaseContext) -> str:
        url = ctx.config.pypi.repository_url
        method = auth()
        what = f"upload the wheels and sdists to {url} with twine, authenticated by {method.source}"
        if method.kind != "token":
            return what  # trusted publishing: verify mints a token, which is the check
        return (
            what + "; PyPI offers no check of a credential that uploads nothing, so verify "
            "checks a token's shape and that the index answers"
        )

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        problems = []
        method = auth()
        missing = publish_auth.problem(method, NEED)
        if missing is not None:
            problems.append(missing)
        elif not method.trusted and not token_shaped():
            problems.append(
                Problem(
                    self.name,
                    "the PyPI API token is not one: PyPI's tokens start with `pypi-`",
                    hint="set PYPI_API_TOKEN (or TWINE_PASSWORD with TWINE_USERNAME=__token__) to "
                    "the whole token PyPI showed, `pypi-` included",
                )
            )
        elif method.trusted:
            try:  # the index says now, before anything is public, whether it trusts us
                self._tokens(ctx).get()
            except ReleaseError as exc:
                problems.append(Problem.from_error(self.name, exc))
        try:
            with self._http(PREFLIGHT) as http:
                http.request("GET", ctx.config.pypi.index_url, expect=(404,))
                if not self._dists(ctx):  # before the build; after it, `done` compares sha256
                    problems += self._taken(ctx, http)
        except HttpError as exc:
            problems.append(Problem.from_error(self.name, exc))
        return problems

    def _taken(self, ctx: ReleaseContext, http: Http) -> list[Problem]:
        """This version's files already on the index, before anything is built: a build
        can never replace them (PyPI refuses a file name twice, even after a deletion)."""
        assert ctx.version is not None
        version = re.escape(python_version(ctx.version))
        problems = []
        for pyproject in python_projects(ctx):
            project = project_name(pyproject)
            prefix = re.escape(re.sub(r"[-_.]+", "_", project).lower())
            mine = re.compile(rf"^{prefix}-{version}(-|\.tar\.gz$|\.zip$)", re.IGNORECASE)
            there = sorted(
                f for f in index_files(http, ctx.config.pypi.index_url, project) if mine.match(f)
            )
            if there:
                problems.append(
                    Problem(
                        self.name,
                        f"{project} {ctx.version} is already on the index ({', '.join(there)})",
                        hint="a file name can never be uploaded again on PyPI: release the next "
                        "version",
                    )
                )
        return problems

    def _plan(self, ctx: ReleaseContext) -> list[Artifact]:
        """The files still to upload; an existing file with other content is an error."""
        todo = []
        with self._http() as http:
            known: dict[str, dict[str, str]] = {}
            for artifact in self._dists(ctx):
                project = artifact.name or ""
                if project not in known:
                    known[project] = index_files(http, ctx.config.pypi.index_url, project)
                filename = Path(artifact.path).name
                there = known[project].get(filename)
                if there is None:
                    todo.append(artifact)
                elif there != artifact.sha256:
                    raise ReleaseError(
                        f"{filename} is already on the index with other content "
                        f"(sha256 {there[:12]}…, ours {artifact.sha256[:12]}…)",
                        hint="a file name can never be reused on PyPI: release a new version",
                    )
        return todo

    def _there(self, ctx: ReleaseContext, artifact: Artifact) -> str | None:
        """The sha256 of the file the index has under this artifact's name, if any."""
        with self._http() as http:
            files = index_files(http, ctx.config.pypi.index_url, artifact.name or "")
        return files.get(Path(artifact.path).name)

    def done(self, ctx: ReleaseContext) -> bool:
        if not self._dists(ctx) or self._plan(ctx):
            return False
        self._landing(ctx)
        return True

    def anything_out(self, ctx: ReleaseContext) -> bool:
        return len(self._plan(ctx)) < len(self._dists(ctx))

    def _landing(self, ctx: ReleaseContext) -> PypiLanding:
        projects = sorted({a.name for a in self._dists(ctx) if a.name})
        ctx.landed.pypi = PypiLanding(ctx.config.pypi.index_url, projects)
        return ctx.landed.pypi

    def run(self, ctx: ReleaseContext) -> None:
        todo = self._plan(ctx)
        landing = self._landing(ctx)
        for artifact in self._dists(ctx):
            if artifact not in todo:
                ctx.record(self.name, "item", file=artifact.path, result="already-uploaded")
                landing.items.append((artifact.path, "already-uploaded"))
        for artifact in todo:  # one by one: a failure names its file, the rest stays resumable
            pypi_upload.upload(
                ctx.manifest().file(artifact),
                artifact,
                ctx.config.pypi,
                credentials=lambda: self._upload_env(ctx),
                already_there=lambda a: self._there(ctx, a),
            )
            ctx.record(self.name, "item", file=artifact.path, result="uploaded")
            landing.items.append((artifact.path, "uploaded"))

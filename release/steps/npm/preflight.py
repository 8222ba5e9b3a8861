"""What the npm step asks before anything is public: which credentials it has and whether the
registry accepts them (`npm whoami`), and who may publish each package where the registry
says so."""

from __future__ import annotations

from release.base import secrets
from release.base.errors import ReleaseError
from release.core.engine.context import Problem
from release.remote import oidc
from release.steps import publish_auth
from release.steps.npm.registry import Registry
from release.tools import npm as npm_tool

STEP = "npm"
NEED = publish_auth.Need(
    STEP,
    "no credentials to publish to the npm registry",
    "set NPM_TOKEN (or `release login NPM_TOKEN`), or log in with `npm login` (~/.npmrc)",
    "npmjs.com (the package's Settings → Trusted publishing)",
)
# npm's own OIDC exchange (trusted publishing) arrived in npm 11.5.1.
TRUSTED_NPM = (11, 5, 1)


def token() -> str | None:
    return secrets.get("NPM_TOKEN")


def trusted() -> bool:
    return token() is None and oidc.available()


def auth_problems(registry: str) -> tuple[list[Problem], str | None]:
    """The problems with npm's credentials for `registry`, and the user they log in as
    (None with trusted publishing: npm trades the identity only when it publishes)."""
    try:
        if trusted():
            found = npm_tool.version()
            parts = tuple(int(p) for p in found.split("-")[0].split(".")[:3])
            if parts < TRUSTED_NPM:
                problem = Problem(
                    STEP,
                    f"npm {found} cannot publish by trusted publishing (npm 11.5.1+)",
                    hint="`npm install -g npm@latest` in the workflow before the release",
                )
                return [problem], None
            return [], None
        with npm_tool.session(registry, token()) as env:
            return [], npm_tool.whoami(registry, env)
    except ReleaseError as exc:
        given = publish_auth.problem(publish_auth.choose("NPM_TOKEN" if token() else None), NEED)
        hint = given.hint if given is not None else "check NPM_TOKEN: the registry refuses it"
        return [Problem(STEP, f"npm whoami against {registry}: {exc.message}", hint)], None


def ownership_problems(registry: Registry, names: list[str], user: str) -> list[Problem]:
    """A package that exists and whose collaborators the registry lists (npmjs does;
    Verdaccio does not) must list `user` with write access."""
    problems = []
    for name in names:
        if not registry.packument(name).integrity:
            continue  # a new package: whoever publishes it first owns it
        collaborators = registry.collaborators(name)
        if collaborators is None or "write" in collaborators.get(user, ""):
            continue
        problems.append(
            Problem(
                STEP,
                f"{name} exists on the npm registry and {user} may not publish it "
                f"(its collaborators: {', '.join(sorted(collaborators)) or 'none listed'})",
                hint=f"ask an owner for write access (`npm access grant read-write`), or "
                f"publish under another name; NPM_TOKEN logs in as {user}",
            )
        )
    return problems

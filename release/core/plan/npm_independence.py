"""npm packages released on their own (changesets, lerna's independent mode): package.json
files that state different versions, each tagged in a package style (`@changesets/cli@3.0.1`
beside `@changesets/write@1.0.1`). Without this, a JavaScript monorepo with no crate or Python
package is taken for one version, and `next` calls it never released.

package.json versions alone do not decide it: a docs site or a demo app states a version of
its own in many repositories; the tags say which packages the project releases."""

from __future__ import annotations

from release.core.project import npm
from release.core.settings.config_version import PACKAGE_TAG_STYLES
from release.tools.git import Git

MIN_TAGGED = 2  # packages whose current version is tagged in one package style


def npm_independent(git: Git) -> bool:
    stated: dict[str, str] = {}
    for data in npm.stating(git.root).values():
        name, version = data.get("name"), data.get("version")
        if isinstance(name, str) and isinstance(version, str) and not data.get("private"):
            stated[name] = version
    if len(set(stated.values())) < 2:
        return False
    tags = set(git.tags("*"))
    for style in PACKAGE_TAG_STYLES:
        tagged = [n for n, v in stated.items() if _tag(style, n, v) in tags]
        if len(tagged) >= MIN_TAGGED and len({stated[n] for n in tagged}) >= 2:
            return True
    return False


def _tag(style: str, name: str, version: str) -> str:
    return style.replace("{name}", name).replace("{version}", version)

"""The release pull request through PyGithub: the one open pull request of the release
branch found, opened, updated in place (title, body, labels) or closed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from release.base.errors import ReleaseError
from release.remote import github as github_api

if TYPE_CHECKING:
    from github.PullRequest import PullRequest
    from github.Repository import Repository

MAX_BODY = 65_536  # GitHub's limit on a pull request's body


@dataclass(frozen=True)
class PullRequestRef:
    """Where the pull request is, for people and for programs."""

    number: int
    url: str
    action: str  # opened | updated | unchanged | closed


def _repository(api_url: str, write_interval: float, name: str) -> Repository:
    try:
        repo: Repository = github_api.client(api_url, write_interval).get_repo(name)
    except Exception as exc:  # PyGithub and the network raise many kinds
        if isinstance(exc, ReleaseError):
            raise
        raise github_api.translate(exc, f"read the repository {name}") from None
    return repo


def open_pull(repo: Repository, branch: str, base: str) -> PullRequest | None:
    """The open pull request from `branch` into `base` (GitHub allows one)."""
    owner = repo.owner.login
    pulls = repo.get_pulls(state="open", head=f"{owner}:{branch}", base=base)
    return next(iter(pulls), None)


@dataclass(frozen=True)
class PullRequestSite:
    """The repository and the branches a release pull request goes between."""

    api_url: str
    write_interval: float
    repository: str
    branch: str
    base: str

    def find(self) -> PullRequestRef | None:
        try:
            pull = open_pull(self._repo(), self.branch, self.base)
        except ReleaseError:
            raise
        except Exception as exc:
            raise github_api.translate(exc, "list the pull requests") from None
        return None if pull is None else PullRequestRef(pull.number, pull.html_url, "unchanged")

    def _repo(self) -> Repository:
        return _repository(self.api_url, self.write_interval, self.repository)

    def upsert(self, title: str, body: str, labels: list[str]) -> PullRequestRef:
        """Open the pull request, or update the open one in place; labelled either way."""
        body = body[:MAX_BODY]
        try:
            repo = self._repo()
            pull = open_pull(repo, self.branch, self.base)
            if pull is None:
                pull = repo.create_pull(base=self.base, head=self.branch, title=title, body=body)
                action = "opened"
            elif (pull.title, pull.body or "") != (title, body):
                pull.edit(title=title, body=body)
                action = "updated"
            else:
                action = "unchanged"
            have = {label.name for label in pull.labels}
            missing = [name for name in labels if name not in have]
            if missing:
                pull.add_to_labels(*missing)
        except ReleaseError:
            raise
        except Exception as exc:
            raise github_api.translate(
                exc, "open or update the release pull request (it needs `pull-requests: write`)"
            ) from None
        return PullRequestRef(pull.number, pull.html_url, action)

    def close(self) -> PullRequestRef | None:
        """Close the open release pull request, if there is one: nothing is left to release."""
        try:
            pull = open_pull(self._repo(), self.branch, self.base)
            if pull is None:
                return None
            pull.edit(state="closed")
        except ReleaseError:
            raise
        except Exception as exc:
            raise github_api.translate(exc, "close the stale release pull request") from None
        return PullRequestRef(pull.number, pull.html_url, "closed")

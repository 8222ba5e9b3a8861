"""GitHub's client: a secondary rate limit (403 with Retry-After) and 429 are waited out
with PyGithub's own retry; any other 403 fails at once."""

from __future__ import annotations

import pytest

from release.remote.github import client
from tests.services.github_api import GithubApi

LIMITED = (
    b'{"message": "You have exceeded a secondary rate limit. Please wait a few minutes '
    b'before you try again.", "documentation_url": "https://docs.github.com/rest"}'
)


@pytest.fixture
def api(github_api: GithubApi, monkeypatch: pytest.MonkeyPatch) -> GithubApi:
    monkeypatch.setenv("GITHUB_TOKEN", github_api.token)
    github_api.add_repo("acme", "limited")
    github_api.faults.reset()  # the rules and the requests seen
    return github_api


def test_a_secondary_rate_limit_then_success(api: GithubApi) -> None:
    api.faults.fail(r"/repos/acme/limited$", status=403, retry_after=1, body=LIMITED)
    repo = client(api.url, 0).get_repo("acme/limited")
    assert repo.full_name == "acme/limited"
    assert api.faults.count("/repos/acme/limited", method="GET") == 2


def test_429_then_success(api: GithubApi) -> None:
    api.faults.fail(r"/repos/acme/limited$", status=429, retry_after=1)
    assert client(api.url, 0).get_repo("acme/limited").name == "limited"
    assert api.faults.count("/repos/acme/limited", method="GET") == 2


def test_a_plain_403_is_not_retried(api: GithubApi) -> None:
    from github import GithubException

    body = b'{"message": "Resource not accessible by integration"}'
    api.faults.fail(r"/repos/acme/limited$", status=403, times=None, body=body)
    with pytest.raises(GithubException):
        client(api.url, 0).get_repo("acme/limited")
    assert api.faults.count("/repos/acme/limited", method="GET") == 1

"""SHA256SUMS and signatures over registered artifacts, checked with sha256sum and gpg."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from release.base.errors import ReleaseError
from release.core.engine.artifacts import Artifact
from release.core.engine.context import ReleaseContext
from release.core.plan.planning import plan_tagged
from release.steps.artifacts.checksums import ChecksumsStep
from release.steps.artifacts.sign import SignStep

from ..conftest import Repo
from ..tools.test_gpg import PASS, Keys, keys  # noqa: F401 - the session fixture


@pytest.fixture
def built(repo: Repo) -> ReleaseContext:
    repo.commit("feat: a")
    repo.tag("v1.0.0")
    ctx = plan_tagged(repo.path)
    ctx.dist.mkdir()
    manifest = ctx.manifest()
    for name, data in {"app-v1.0.0-x86_64.tar.gz": b"a" * 3000, "pkg-1.0.0.tar.gz": b"s"}.items():
        (ctx.dist / name).write_bytes(data)
        manifest.add(Artifact.of(ctx.dist, ctx.dist / name, "binary-archive"))
    return ctx


def test_sha256sums_reads_back_with_sha256sum(built: ReleaseContext) -> None:
    step = ChecksumsStep()
    assert not step.done(built)
    step.run(built)
    subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"],
        cwd=built.dist,
        check=True,
        capture_output=True,
    )
    assert step.done(built)
    assert [a.kind for a in built.manifest().of_kind("checksums")] == ["checksums"]


def test_a_file_changed_after_the_build_is_a_loud_error(built: ReleaseContext) -> None:
    (built.dist / "pkg-1.0.0.tar.gz").write_bytes(b"tampered")
    with pytest.raises(ReleaseError, match="changed after it was built"):
        ChecksumsStep().run(built)
    assert not (built.dist / "SHA256SUMS").exists()


def test_sign_every_artifact_and_the_sums(
    built: ReleaseContext,
    keys: Keys,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    armored = keys.armored(keys.good)
    monkeypatch.setenv("GPG_PRIVATE_KEY", armored)
    monkeypatch.setenv("GPG_PASSPHRASE", PASS)
    ChecksumsStep().run(built)
    step = SignStep()
    assert step.applies(built) and step.check(built) == []
    step.run(built)
    manifest = built.manifest()
    signed = [a for a in manifest.artifacts if a.kind != "signature"]
    assert len(signed) == 3 and all(a.signature for a in signed)
    for artifact in signed:
        subprocess.run(
            [
                "gpg",
                "--homedir",
                str(keys.home),
                "--verify",
                str(built.dist / str(artifact.signature)),
                str(built.dist / artifact.path),
            ],
            check=True,
            capture_output=True,
        )
    assert step.done(built)
    # The secrets appear nowhere: not in dist/, not in what was printed.
    out = capsys.readouterr()
    texts = [p.read_bytes().decode(errors="replace") for p in built.dist.iterdir()]
    for secret in (PASS, armored.splitlines()[3]):
        assert all(secret not in text for text in [*texts, out.out, out.err])


def test_hashing_memory_stays_flat(tmp_path: Path) -> None:
    """A 256 MiB file hashed in a fresh interpreter grows its peak RSS by far less."""
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(256 * 1024 * 1024)
    code = (
        "import resource, sys; from release.core.engine.artifacts import sha256_file; "
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
        f"sha256_file(__import__('pathlib').Path({str(big)!r})); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)"
    )
    grown_kib = int(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    assert grown_kib < 32 * 1024
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0

"""A detached armored .asc for every artifact and for SHA256SUMS, each verified when made."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from release.base import secrets
from release.base.errors import ReleaseError
from release.core.engine.artifacts import Artifact
from release.core.engine.context import Problem, ReleaseContext
from release.core.engine.step import Skip, Step, Verdict, skip_unless
from release.tools import gpg


def signer(ctx: ReleaseContext) -> gpg.Signer:
    return gpg.Signer(
        armored_key=secrets.get("GPG_PRIVATE_KEY"),
        key_id=ctx.config.sign.key,
        passphrase=secrets.get("GPG_PASSPHRASE"),
    )


def to_sign(ctx: ReleaseContext) -> list[Artifact]:
    return [a for a in ctx.manifest().artifacts if a.kind != "signature"]


class SignStep(Step):
    name = "sign"
    public = False

    def applies(self, ctx: ReleaseContext) -> Verdict:
        if not ctx.config.sign.enabled:
            return Skip("[sign] enabled = false")
        return skip_unless(
            ctx.config.sign.key or secrets.get("GPG_PRIVATE_KEY"),
            "no signing key: neither GPG_PRIVATE_KEY nor [sign] key",
        )

    def describe(self, ctx: ReleaseContext) -> str:
        key = ctx.config.sign.key or "the key in GPG_PRIVATE_KEY"
        whose = "every artifact" if ctx.package is None else f"{ctx.package.name}'s artifacts"
        return f"sign {whose} and SHA256SUMS with {key} (detached .asc)"

    def check(self, ctx: ReleaseContext) -> list[Problem]:
        if not gpg.available():
            return [Problem(self.name, "gpg is not installed", hint="install GnuPG")]
        try:
            with signer(ctx) as session:
                session.preflight()
        except ReleaseError as exc:
            return [Problem.from_error(self.name, exc)]
        return []

    def done(self, ctx: ReleaseContext) -> bool:
        artifacts = to_sign(ctx)
        if not artifacts or any(a.signature is None for a in artifacts):
            return False
        manifest = ctx.manifest()
        with signer(ctx) as session:
            return all(
                session.verify(manifest.file(a), manifest.root / a.signature)  # type: ignore[operator]
                for a in artifacts
                if a.signature
            )

    def run(self, ctx: ReleaseContext) -> None:
        manifest = ctx.manifest()
        # Signatures made on another runner (release publish --artifacts) are kept.
        artifacts = [a for a in to_sign(ctx) if a.signature is None]
        with signer(ctx) as session:
            session.preflight()
            with ThreadPoolExecutor(max_workers=4) as pool:
                signatures = list(pool.map(session.sign, [manifest.file(a) for a in artifacts]))
        assert manifest.root is not None
        for artifact, signature in zip(artifacts, signatures, strict=True):
            manifest.add(Artifact.of(manifest.root, signature, "signature", name=artifact.path))
            manifest.with_signature(artifact.path, str(signature.relative_to(manifest.root)))

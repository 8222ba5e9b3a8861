"""[docker]: several images, per-platform sources, each mistake named at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.base.errors import ConfigError
from release.core.settings.config import load


def config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "release.toml").write_text(text)
    return tmp_path


def test_image_is_a_list_of_one_and_images_keep_their_order(tmp_path: Path) -> None:
    assert load(config(tmp_path, '[docker]\nimage = "ghcr.io/a/b"\n')).docker.names == [
        "ghcr.io/a/b"
    ]
    both = '[docker]\nimages = ["docker.io/a/b", "ghcr.io/a/b"]\n'
    assert load(config(tmp_path, both)).docker.names == ["docker.io/a/b", "ghcr.io/a/b"]
    assert load(config(tmp_path, "[docker]\n")).docker.names == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('image = "a/b"\nimages = ["ghcr.io/a/b"]', "image and images: set one"),
        ('images = ["a/b", "docker.io/a/b"]', "an image is named twice"),
        ('images = ["ghcr.io/A/b"]', "is not an image name"),
        (
            'platform_source = "sha-{short_commit}"\nplatforms = ["linux/amd64", "linux/arm64"]',
            "gives two platforms one tag",
        ),
        ('platform_source = "sha-{cpu}"', "unknown field 'cpu'"),
        ('platform_source = "sha-{arch}"\nplatforms = ["amd64"]', "is not a platform"),
        ('platform_source = "sha-{arch}"\nbuild = true', "not with build = true"),
    ],
)
def test_mistakes_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(config(tmp_path, f"[docker]\n{text}\n"))
    assert message in caught.value.message
    assert (caught.value.where or "").startswith(str(tmp_path / "release.toml:"))

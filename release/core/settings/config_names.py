"""Checks of a name a config value gives, shared by the sections of core/settings/config.py and the
sections that live in their own modules (core/settings/docker_config.py)."""

from __future__ import annotations


def package_name(key: str, value: str | None) -> None:
    """A `package` key names one package of the repository (checked against them by the step)."""
    if value is not None and (not value.strip() or value != value.strip()):
        raise ValueError(f"{key}: {value!r} is not a package name")

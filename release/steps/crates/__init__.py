"""Crates.io and other cargo registries."""

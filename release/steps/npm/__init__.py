"""Npm registries."""

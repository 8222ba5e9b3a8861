"""release-toolkit: one command for correct, resumable releases of polyglot projects."""

__version__ = "0.1.0"

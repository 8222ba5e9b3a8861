"""PyPI and other indexes."""

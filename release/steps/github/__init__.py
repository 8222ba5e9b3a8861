"""GitHub releases."""

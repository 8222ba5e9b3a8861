"""The version steps: bump, commit and tag."""

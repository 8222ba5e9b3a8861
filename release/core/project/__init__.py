"""The project's files: layout, manifests, packages, changelog file."""

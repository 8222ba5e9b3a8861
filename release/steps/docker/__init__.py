"""Docker registries."""

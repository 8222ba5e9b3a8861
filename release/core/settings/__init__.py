"""The config: its shape, its files, the checks of its values."""

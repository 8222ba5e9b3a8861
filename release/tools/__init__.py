"""The only modules that run external programs."""

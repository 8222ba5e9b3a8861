"""The engine: context, steps, pipeline, journal, recovery, artifacts."""

"""The changelog steps."""

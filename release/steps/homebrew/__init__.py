"""The Homebrew tap."""

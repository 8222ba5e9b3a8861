"""The foundation every layer needs: errors, secrets and redaction, TOML, atomic writes,
versions and tag formats, GitHub Actions commands. It imports nothing else of release."""

"""From a repository to a plan: the last release, the commits, the next version(s)."""

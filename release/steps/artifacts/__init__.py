"""The build steps: binaries, wheels, SBOMs, checksums, signatures."""

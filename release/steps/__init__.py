"""One module per step of a release; `base` holds the protocol they share."""

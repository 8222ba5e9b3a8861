"""The announcers."""

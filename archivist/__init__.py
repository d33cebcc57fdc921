"""Archivist: captions and archives public-meeting video for community-media stations."""

__version__ = "0.1.0"

"""Publishing to Cablecast: linking a show, the sidecar, chapters on its VOD, and what is due."""

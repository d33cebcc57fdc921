"""Live captions: the session's rules, the local-agreement policy and roll-up caption lines."""
